#!/usr/bin/env node
/** `em-console`: the command line, on the same configuration, services and audit trail as the server. */
import { main } from './cli/main.js'
import { processIo } from './cli/output.js'

try {
  process.exitCode = await main(process.argv.slice(2), { env: process.env, stdin: process.stdin, io: processIo })
} catch (error) {
  console.error(error)
  process.exitCode = 1
}
// Everything is closed by now; should a handle linger, it must not keep a cron job waiting.
setTimeout(() => process.exit(), 5000).unref()
