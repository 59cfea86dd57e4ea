import { checkBuilt } from './test-server.ts'

/** Each worker starts its own server (fixtures.ts); this only stops the run early when the build is missing. */
export default function globalSetup (): void {
  checkBuilt()
}
