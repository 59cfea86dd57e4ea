/**
 * P3, audit at scale: 1,000,000 realistic audit rows (generated once, cached in bench/.cache/).
 * Filtered history pages (by device, a device's logout-alls, by user, by outcome + date range, free
 * text) must answer in p95 ≤ 5 ms each, through the product's repository; the CSV export of every
 * row, through the real server's HTTP route, must stream with the server's peak RSS growth < 50 MB,
 * and with flat memory (issue #14): RSS growth from the export's second 2 to its end ≤ 5 MB.
 * BENCH_AUDIT_EXPORT_ONLY=1 skips the pages (to work on the export).
 */
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AuditFilter } from '@em-console/shared/schemas'
import { request } from 'undici'
import { createAuditRepository } from '../server/src/audit/audit-repository.ts'
import { openDatabase } from '../server/src/store/database.ts'
import { AUDIT_DATA_VERSION, auditPopulation, generateAuditRows } from './audit-data.ts'
import { Cleanup, machine, percentile, QUICK, REPO, report, round, signIn, sleep, startServer } from './lib.ts'

const ROWS = Number(process.env.BENCH_AUDIT_ROWS ?? (QUICK ? 100_000 : 1_000_000))
const QUERIES = QUICK ? 50 : 250
const PAGE_TARGET_MS = 5
const RSS_TARGET_MB = 50
const SLOPE_TARGET_MB = 5
const EXPORT_ONLY = process.env.BENCH_AUDIT_EXPORT_ONLY === '1'
const CACHE = join(REPO, 'bench', '.cache')

/** The cached database for this generator version, row count and schema; built when missing. */
function cachedDatabase (): string {
  const migrations = readdirSync(join(REPO, 'server', 'migrations')).filter((f) => /^\d{3}-.*\.sql$/.test(f)).sort()
  const schema = migrations.at(-1)?.slice(0, 3) ?? '000'
  const file = join(CACHE, `audit-${ROWS}-v${AUDIT_DATA_VERSION}-schema${schema}.db`)
  if (existsSync(file)) return file
  mkdirSync(CACHE, { recursive: true })
  for (const old of readdirSync(CACHE)) if (old.startsWith(`audit-${ROWS}-`)) rmSync(join(CACHE, old), { force: true })
  const building = `${file}.building`
  for (const suffix of ['', '-wal', '-shm']) rmSync(building + suffix, { force: true })
  console.log(`Generating ${ROWS.toLocaleString('en')} audit rows into ${file} (once; later runs reuse it)…`)
  const started = performance.now()
  const db = openDatabase(building)
  // Only while generating: a crash just means generating again.
  db.pragma('journal_mode = OFF')
  db.pragma('synchronous = OFF')
  db.pragma('cache_size = -262144')
  generateAuditRows(db, ROWS, (done) => process.stdout.write(`\r  ${done.toLocaleString('en')} rows`))
  db.pragma('journal_mode = WAL')
  db.close()
  renameSync(building, file)
  console.log(`\n  done in ${round((performance.now() - started) / 1000)} s, ${round(statSync(file).size / 1e6)} MB`)
  return file
}

/**
 * Reads the database file through once, so the pages are timed from the OS file cache, as a
 * database in daily use is; not from the disk, as the first run after a reboot reads it.
 */
function warmFileCache (path: string): number {
  const started = performance.now()
  const buffer = Buffer.allocUnsafe(4 * 1024 * 1024)
  const fd = openSync(path, 'r')
  try {
    while (readSync(fd, buffer, 0, buffer.length, null) > 0);
  } finally {
    closeSync(fd)
  }
  return performance.now() - started
}

const file = cachedDatabase()
const warmMs = warmFileCache(file)
const cleanup = new Cleanup()
try {
  // --- History pages, through the product's repository.
  const db = openDatabase(file)
  cleanup.add(() => db.close())
  const audit = createAuditRepository(db).reads
  const { devices, users, words } = auditPopulation()
  const first = db.prepare('SELECT min(started_at) AS first, max(started_at) AS last, count(*) AS n FROM audit').get() as { first: string, last: string, n: number }
  const span = Date.parse(first.last) - Date.parse(first.first)
  let seed = 1
  const random = (): number => { seed = (seed * 16807) % 2147483647; return seed / 2147483647 }
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
  const range = (days: number): { from: string, to: string } => {
    const from = Date.parse(first.first) + random() * Math.max(0, span - days * 86_400_000)
    return { from: new Date(from).toISOString(), to: new Date(from + days * 86_400_000).toISOString() }
  }

  const kinds: Record<string, () => AuditFilter> = {
    device: () => ({ device: pick(devices) }),
    // "Who logged this phone out?": the nightly logout-all names no device; the inventory's ended sessions do.
    'device-logout-all': () => ({ device: pick(devices.filter((d) => d.startsWith('SEP'))), action: 'logout-all' }),
    user: () => ({ user: pick(users) }),
    'outcome-range': () => ({ outcome: pick(['success', 'failure', 'error', 'already-logged-out'] as const), ...range(pick([1, 7, 30])) }),
    text: () => {
      const r = random()
      return { q: r < 0.34 ? pick(users) : r < 0.67 ? pick(devices) : pick(words) }
    }
  }
  const pages: Record<string, { p50: number, p95: number, max: number, examples: AuditFilter[] }> = {}
  for (const [kind, make] of Object.entries(EXPORT_ONLY ? {} : kinds)) {
    for (let i = 0; i < 20; i++) audit.page(make(), 50)
    const times: number[] = []
    const slowest: Array<{ ms: number, filter: AuditFilter }> = []
    for (let i = 0; i < QUERIES; i++) {
      const filter = make()
      const started = performance.now()
      audit.page(filter, 50)
      const ms = performance.now() - started
      times.push(ms)
      slowest.push({ ms, filter })
    }
    times.sort((a, b) => a - b)
    slowest.sort((a, b) => b.ms - a.ms)
    pages[kind] = { p50: round(percentile(times, 50), 2), p95: round(percentile(times, 95), 2), max: round(times.at(-1) ?? 0, 2), examples: slowest.slice(0, 3).map((s) => s.filter) }
  }
  for (const [kind, page] of Object.entries(pages)) {
    const pass = page.p95 <= PAGE_TARGET_MS
    report({ name: `p3-audit-page-${kind}`, figure: page.p95, unit: 'ms p95', target: `≤ ${PAGE_TARGET_MS}`, pass, details: { rows: first.n, queries: QUERIES, fileCacheWarmMs: Math.round(warmMs), p50: page.p50, max: page.max, ...(pass ? {} : { slowest: page.examples }), quick: QUICK, ...machine() } })
    if (!pass) process.exitCode = 1
  }
  await cleanup.run()

  // --- The CSV export of every row, from the real server, on a copy of the database.
  const scratch = mkdtempSync(join(tmpdir(), 'em-console-bench-audit-'))
  cleanup.add(() => rmSync(scratch, { recursive: true, force: true }))
  const copy = join(scratch, 'em-console.db')
  copyFileSync(file, copy)
  const exporter = await startServer({ RATE_LIMIT_PER_MINUTE: '0', DATABASE_PATH: copy })
  cleanup.add(exporter.stop)
  const headers = await signIn(exporter.url)
  await sleep(1000)
  const baseline = exporter.rss()
  let peak = baseline
  // Every 20 ms for the peak; once a second into a series, to tell a plateau from steady growth.
  const series: number[] = []
  const started = performance.now()
  const sampler = setInterval(() => {
    const rss = exporter.rss()
    peak = Math.max(peak, rss)
    if (performance.now() - started >= series.length * 1000) series.push(rss)
  }, 20)
  cleanup.add(() => clearInterval(sampler))
  // Whether the server answers anything else while it exports: GET /api/health, one at a time.
  const healthMs: number[] = []
  const exporting = { now: true }
  const prober = (async () => {
    while (exporting.now) {
      const asked = performance.now()
      await (await request(`${exporter.url}/api/health`)).body.dump()
      healthMs.push(performance.now() - asked)
      await sleep(100)
    }
  })()
  const res = await request(`${exporter.url}/api/audit/export.csv`, { headers, bodyTimeout: 600_000 })
  let bytes = 0
  let lines = 0
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    bytes += chunk.length
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++
  }
  const elapsed = performance.now() - started
  clearInterval(sampler)
  exporting.now = false
  await prober
  const end = exporter.rss()
  peak = Math.max(peak, end)
  const growthMb = (peak - baseline) / 1e6
  // The slope: what the export adds after its first two seconds (its buffers are full by then).
  const slopeMb = (end - (series[2] ?? end)) / 1e6
  const rowsOut = lines - 1
  const complete = res.statusCode === 200 && rowsOut >= first.n
  const details = {
    status: res.statusCode,
    rows: rowsOut,
    expectedRows: first.n,
    megabytes: round(bytes / 1e6),
    seconds: round(elapsed / 1000, 2),
    rowsPerSecond: Math.round(rowsOut / (elapsed / 1000)),
    baselineMb: round(baseline / 1e6),
    peakMb: round(peak / 1e6),
    healthDuringExportMs: { answers: healthMs.length, max: round(Math.max(...healthMs)) },
    // RSS above the baseline at the request, once a second, and at the end.
    growthEverySecondMb: [...series, end].map((rss) => round((rss - baseline) / 1e6)),
    server: exporter.entry,
    quick: QUICK,
    ...machine()
  }
  const pass = complete && growthMb < RSS_TARGET_MB
  report({ name: 'p3-audit-export-rss', figure: round(growthMb), unit: 'MB peak RSS growth', target: `< ${RSS_TARGET_MB}`, pass, details })
  // An export shorter than two seconds (BENCH_QUICK) has no slope to speak of: it counts as flat.
  const flat = complete && slopeMb <= SLOPE_TARGET_MB
  report({ name: 'p3-audit-export-slope', figure: round(slopeMb), unit: 'MB RSS growth from second 2 to the end', target: `≤ ${SLOPE_TARGET_MB}`, pass: flat, details })
  if (!pass || !flat) process.exitCode = 1
} finally {
  await cleanup.run()
}
