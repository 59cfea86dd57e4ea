/**
 * bench:cli-beside: a CLI command's logouts while the server beside it refreshes its inventory on
 * the same database. Each process has its own Store (its own write queue, busy_timeout 0), as the
 * server and `em-console logout` have. The "server" (a child process) refreshes an inventory of
 * 5,000 phones and 1,100 sessions (the trial's two clusters; an AXL source that answers at once,
 * so it writes as much as it can) over and over; the "CLI" (this process) makes 1,000 changes, 5
 * at a time, each as a run makes one: its pending record committed, a 2 ms EMAPI exchange, its
 * answer committed. The floor is the same 1,000 changes beside the same refreshing server on a
 * database of its own: it pays for the server's CPU (two cores shared) but meets no lock of it, so
 * the ratio is what sharing the database costs. Run before and after (the machine is shared).
 * Figure: beside on one database / beside on two, wall time.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import type { AxlPhone, AxlSession } from '@em-console/shared/axl'
import { createInventory } from '../server/src/inventory/inventory.ts'
import { openStore } from '../server/src/store/store.ts'
import { Cleanup, machine, median, QUICK, report, round } from './lib.ts'

const CHANGES = QUICK ? 200 : 1000
const CONCURRENCY = 5
const EMAPI_MS = 2
const PHONES = 5000
const SESSIONS = 1100
const ROUNDS = QUICK ? 1 : Number(process.env.BENCH_BESIDE_ROUNDS ?? 3)
const TARGET = 1.5

function axlSource () {
  const phones: AxlPhone[] = Array.from({ length: PHONES }, (_, i) => ({ name: `SEP${String(i).padStart(12, '0')}`, model: 'Cisco 8865', description: `Phone ${i}`, devicePool: `DP_${i % 20}`, emEnabled: true }))
  // AXL's answers take 20 ms a page of 1,000 rows (bench:inventory's), so the refresh reads, then writes.
  const listing = async <T>(rows: T[]) => {
    await sleep(20 * Math.ceil(rows.length / 1000))
    return { rows, counted: rows.length, version: '14.0', pageSize: 1000, requests: Math.ceil(rows.length / 1000) }
  }
  return {
    version: '14.0',
    listPhones: async () => await listing(phones),
    // Who is logged in changes a little each time, so each refresh writes (sessions start and end).
    listSessions: async () => {
      const shift = Math.floor(Math.random() * 100)
      const sessions: AxlSession[] = Array.from({ length: SESSIONS }, (_, i) => ({ deviceName: phones[(i + shift) % PHONES]?.name ?? '', userId: `user${i}`, profile: `UDP_${i}`, loginTime: new Date(Date.now() - 86_400_000).toISOString(), loginDurationSeconds: null, devicePool: `DP_${i % 20}`, model: 'Cisco 8865', description: '' }))
      return await listing(sessions)
    }
  }
}

/** The server's part: refreshes until told to stop, then reports how long each took. */
async function server (path: string): Promise<void> {
  const store = openStore({ path, checkpoints: 'background' })
  const inventory = createInventory({ clusterId: 'hq', axl: axlSource(), store, refreshSeconds: 0, historyDays: 30 })
  const stop = { asked: false }
  process.on('message', () => { stop.asked = true })
  const refreshMs: number[] = []
  await inventory.refresh()
  process.send?.({ ready: true })
  while (!stop.asked) {
    const started = performance.now()
    const outcome = await inventory.refresh()
    if (!outcome.ok) throw new Error(outcome.error.message)
    refreshMs.push(performance.now() - started)
  }
  await inventory.stop()
  await store.close()
  process.send?.({ refreshMs }, () => { process.disconnect() })
}

/** The CLI's part: CHANGES changes, CONCURRENCY at a time, each with its two commits. */
async function logouts (path: string): Promise<number> {
  const store = openStore({ path, checkpoints: 'background' })
  const started = performance.now()
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < CHANGES) {
      const device = `SEP${String(next++).padStart(12, '0')}`
      const id = await store.write((w) => w.audit.insertPending({ actor: 'bench', trigger: 'cli', action: 'logout', devices: [device] }), 'pending logout')
      await sleep(EMAPI_MS)
      await store.write((w) => { w.audit.finish(id, { outcome: 'success', message: `${device} logged out` }) }, 'logout answer')
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const ms = performance.now() - started
  await store.close()
  return ms
}

/** The CLI's changes on `path` while a server refreshes its inventory on `serverPath` (the same database, or one of its own). */
async function beside (path: string, serverPath: string): Promise<{ ms: number, refreshMs: number[] }> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['server', serverPath], { execArgv: process.execArgv })
  const messages: unknown[] = []
  let wake = (): void => {}
  child.on('message', (m) => { messages.push(m); wake() })
  const nextMessage = async <T>(): Promise<T> => {
    while (messages.length === 0) await new Promise<void>((resolve) => { wake = resolve })
    return messages.shift() as T
  }
  await nextMessage()
  const ms = await logouts(path)
  child.send('stop')
  const { refreshMs } = await nextMessage<{ refreshMs: number[] }>()
  return { ms, refreshMs }
}

if (process.argv[2] === 'server') {
  await server(process.argv[3] ?? '')
} else {
  const cleanup = new Cleanup()
  try {
    const dir = mkdtempSync(join(tmpdir(), 'em-console-bench-beside-'))
    cleanup.add(() => { rmSync(dir, { recursive: true, force: true }) })
    const path = join(dir, 'em-console.db')
    const serversOwn = join(dir, 'server-own.db')
    await logouts(path)
    const ratios: number[] = []
    const rounds: object[] = []
    for (let round_ = 0; round_ < ROUNDS; round_++) {
      const apartBefore = await beside(path, serversOwn)
      const { ms, refreshMs } = await beside(path, path)
      const apartAfter = await beside(path, serversOwn)
      const apart = (apartBefore.ms + apartAfter.ms) / 2
      ratios.push(ms / apart)
      rounds.push({ apartMs: round(apart), besideMs: round(ms), refreshes: refreshMs.length, refreshMsMedian: round(median(refreshMs)), refreshMsMax: round(Math.max(...refreshMs)) })
    }
    const figure = median(ratios)
    report({ name: 'cli-beside-server', figure: round(figure, 2), unit: '× on a database of its own', target: `≤ ${TARGET}`, pass: figure <= TARGET, details: { changes: CHANGES, concurrency: CONCURRENCY, emapiMs: EMAPI_MS, phones: PHONES, sessions: SESSIONS, changesPerSecondBeside: round(CHANGES / ((rounds.at(-1) as { besideMs: number }).besideMs / 1000)), rounds, ...machine() } })
  } finally {
    await cleanup.run()
  }
}
