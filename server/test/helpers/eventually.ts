/**
 * Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. Timed by the
 * machine's own clock, so it holds in tests that fake Date.
 */
export async function eventually<T> (check: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (performance.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
