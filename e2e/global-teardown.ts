import { rmSync } from 'node:fs'

function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Stops the server global-setup.ts started (by its pid) and removes its database. */
export default async function globalTeardown (): Promise<void> {
  const pid = Number(process.env.E2E_SERVER_PID)
  if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
    process.kill(pid, 'SIGTERM')
    const deadline = Date.now() + 5000
    while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
    if (alive(pid)) process.kill(pid, 'SIGKILL')
  }
  const work = process.env.E2E_WORK_DIR
  // Keep the server log of a failed run for reading; the database goes either way.
  if (work !== undefined && process.env.E2E_KEEP_WORK === undefined) rmSync(work, { recursive: true, force: true })
}
