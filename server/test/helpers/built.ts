import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Limiter } from '../../src/services/limiter.ts'

/**
 * A built entry point (server/bundle/…, bundle.mjs): child processes run what ships, and start in a fraction of
 * the time tsx needs to compile the source, which matters on a busy machine. `npm test` builds
 * first; a test run on its own needs `npm run build`.
 */
export function builtEntry (name: 'server.js' | 'cli.js'): string {
  const path = fileURLToPath(new URL(`../../bundle/${name}`, import.meta.url))
  if (!existsSync(path)) throw new Error(`${path} is missing: run "npm run build" first (npm test does).`)
  return path
}

/** Child processes of the test suite started at once: two cores are shared with everything else. */
export const childProcesses = new Limiter(2)
