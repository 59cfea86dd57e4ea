#!/usr/bin/env node
/** `em-console`: the command line. Runs its program (cli-program.ts, bundled beside this file) from V8's code cache. */
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runCommonJs } from './cli/code-cache.js'

// undici parses HTTP with llhttp compiled to WebAssembly, and V8's optimizing tier recompiles it
// in the background: about 35 MB and a busy core for a command that sends one request. The
// baseline compiler is plenty here; the server keeps the optimizing tier (issue #14, bench:cli).
// Set before the program is compiled: V8 takes a code cache only under the flags it was made with.
setFlagsFromString('--liftoff-only')

const program = runCommonJs(fileURLToPath(new URL('./cli-program.cjs', import.meta.url)), process.argv[2], process.env)
process.once('exit', (code) => { program.save(code) })
