/**
 * bench:cli's way to measure a child process when /usr/bin/time is missing: loaded with
 * `node --import` before the program, it writes the process's own peak RSS (KB) and CPU
 * seconds to BENCH_RUSAGE_FILE as it exits, in the format `/usr/bin/time -f '%M %U %S'` prints.
 */
import { writeFileSync } from 'node:fs'

const file = process.env.BENCH_RUSAGE_FILE
if (file !== undefined) {
  process.on('exit', () => {
    const usage = process.resourceUsage()
    writeFileSync(file, `${usage.maxRSS} ${usage.userCPUTime / 1e6} ${usage.systemCPUTime / 1e6}\n`)
  })
}
