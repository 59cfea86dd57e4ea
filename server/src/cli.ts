#!/usr/bin/env node
/** `em-console`: the command line, on the same configuration, services and audit trail as the server. */
import { setFlagsFromString } from 'node:v8'
import { main } from './cli/main.js'
import { processIo } from './cli/output.js'

// undici parses HTTP with llhttp compiled to WebAssembly, and V8's optimizing tier recompiles it
// in the background: about 35 MB and a busy core for a command that sends one request. The
// baseline compiler is plenty here; the server keeps the optimizing tier (issue #14, bench:cli).
setFlagsFromString('--liftoff-only')

// A reader that goes away (`em-console history | head`) ends the output, not the command: what
// was asked still finishes and is audited, and its exit code stands. Later writes are dropped.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => { if (error.code !== 'EPIPE') throw error })
}

try {
  process.exitCode = await main(process.argv.slice(2), { env: process.env, stdin: process.stdin, io: processIo })
} catch (error) {
  console.error(error)
  process.exitCode = 1
}
// Everything is closed by now; should a handle linger, it must not keep a cron job waiting.
setTimeout(() => process.exit(), 5000).unref()
