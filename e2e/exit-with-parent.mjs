// Imported (node --import) into each server and simulator that a Playwright worker starts
// (tied-child.ts), whose stdin is a pipe from that worker. The pipe ends when the worker is gone,
// however it went (kill -9 of the runner, a CI timeout): the child then stops as a SIGTERM stops
// it, instead of running for ever. Test-only, so it lives here and not in the product's code.
const stdin = process.stdin
stdin.once('end', () => { process.kill(process.pid, 'SIGTERM') })
stdin.resume()
// The pipe alone must not keep the child running once it has stopped its own work.
if ('unref' in stdin) stdin.unref()
