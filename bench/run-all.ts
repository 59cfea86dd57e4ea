/**
 * `npm run bench`: every figure in turn, each bench in its own process (so one's memory or
 * child processes cannot skew the next). Exits non-zero if any bench printed FAIL or failed to run.
 * BENCH_ONLY=proxy,load runs a subset.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { REPO } from './lib.ts'

// Quick and deterministic first, the long audit generation last.
const BENCHES = ['startup', 'cli', 'cli-beside', 'web', 'proxy', 'bulk', 'limits', 'load', 'emapi-size', 'inventory', 'clusters', 'audit']
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter((s) => s !== '')
const selected = only === undefined || only.length === 0 ? BENCHES : BENCHES.filter((b) => only.includes(b))

async function run (bench: string): Promise<{ code: number | null, failed: string[] }> {
  const child = spawn(process.execPath, ['--conditions=@em-console/source', '--import', 'tsx', join(REPO, 'bench', `${bench}.ts`)], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
    process.stdout.write(chunk)
  })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  // report() prints "name: figure unit (target …) PASS|FAIL".
  const failed = output.split('\n').filter((line) => /\) FAIL$/.test(line)).map((line) => line.split(':')[0] ?? line)
  return { code, failed }
}

const summary: string[] = []
let ok = true
for (const bench of selected) {
  console.log(`\n== ${bench}`)
  const started = performance.now()
  const { code, failed } = await run(bench)
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  if (code !== 0 || failed.length > 0) ok = false
  summary.push(`${bench.padEnd(8)} ${code === 0 && failed.length === 0 ? 'PASS' : 'FAIL'} (${seconds} s)${failed.length > 0 ? `: ${failed.join(', ')}` : code !== 0 ? `: exit code ${code}` : ''}`)
}
console.log(`\n== summary\n${summary.join('\n')}`)
if (!ok) process.exitCode = 1
