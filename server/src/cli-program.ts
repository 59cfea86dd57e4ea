/**
 * `em-console`'s program: the command line, on the same configuration, services and audit trail
 * as the server. Bundled as one CommonJS file (bundle.mjs) that cli.ts runs with V8's code cache.
 */
import { main } from './cli/main.js'
import { processIo } from './cli/output.js'
import { dropWritesOnceClosed } from './processes.js'

// A reader that goes away, or a terminal that closed, ends the output, not the command: its exit code stands.
for (const stream of [process.stdout, process.stderr]) dropWritesOnceClosed(stream)

main(process.argv.slice(2), { env: process.env, stdin: process.stdin, io: processIo })
  .then((code) => { process.exitCode = code }, (error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
  // Everything is closed by now; should a handle linger, it must not keep a cron job waiting.
  .finally(() => { setTimeout(() => process.exit(), 5000).unref() })
