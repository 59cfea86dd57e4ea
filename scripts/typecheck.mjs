// npm run typecheck, without a shell's `&` (npm runs scripts in cmd.exe on Windows): the server's
// build first (the other projects read its declarations), then two lanes side by side, the server's
// tests in one and every other project in turn in the other, about equal halves. The command fails
// when any tsc fails, once both lanes have ended, so each lane's errors are printed whole.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc')

/** Runs tsc with these arguments, its output on ours; true when it found no error. */
async function tsc (...args) {
  const child = spawn(process.execPath, [TSC, ...args], { stdio: 'inherit' })
  return await new Promise((resolve) => {
    child.once('error', (error) => { console.error(`tsc ${args.join(' ')} could not start: ${error.message}`); resolve(false) })
    child.once('exit', (code) => resolve(code === 0))
  })
}

/** Runs each tsc in turn, stopping at the first that fails. */
async function lane (...runs) {
  for (const args of runs) if (!await tsc(...args)) return false
  return true
}

const passed = await tsc('-b', 'server') && (await Promise.all([
  lane(['-p', 'server/tsconfig.test.json']),
  lane(['-p', 'shared/tsconfig.test.json'], ['-p', 'web', '--noEmit'], ['-p', 'e2e', '--noEmit'], ['-p', 'bench'])
])).every(Boolean)
process.exitCode = passed ? 0 : 1
