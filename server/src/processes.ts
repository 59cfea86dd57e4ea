/** Whether process `pid` of this machine still runs (EPERM: it does, as another OS user). */
export function isRunning (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
