import { AUDIT_ACTIONS, AUDIT_OUTCOMES, TRIGGERS, type AuditFilter } from '@em-console/shared/schemas'
import { clusterKey } from '../clusters/definitions.js'
import { closest } from '../did-you-mean.js'
import type { Config } from '../config.js'
import { decodeCursor } from '../audit/audit-repository.js'
import type { Store } from '../store/store.js'
import { existingStore } from '../store/database-path.js'
import { EXIT, printJson, refused, shortTime, table, unknownCluster, UsageError, type ExitCode, type Io, type Values } from './output.js'
import { AGE, parseAge } from './sessions.js'

function oneOf<T extends string> (name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined
  if ((allowed as readonly string[]).includes(value)) return value as T
  const meant = closest(value, allowed)
  throw new UsageError(`--${name} must be one of: ${allowed.join(', ')}${meant === undefined ? '' : ` (did you mean ${meant}?)`}`)
}

export function historyArgs (values: Values, now = Date.now()): { filter: AuditFilter, limit: number, cursor?: string } {
  const text = (key: string): string | undefined => typeof values[key] === 'string' ? values[key] : undefined
  const limitText = text('limit') ?? '20'
  const limit = Number(limitText)
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > 500) throw new UsageError('--limit must be a whole number from 1 to 500')
  const filter: AuditFilter = {}
  const action = oneOf('action', text('action'), AUDIT_ACTIONS)
  const outcome = oneOf('outcome', text('outcome'), AUDIT_OUTCOMES)
  const trigger = oneOf('trigger', text('trigger'), TRIGGERS)
  if (action !== undefined) filter.action = action
  if (outcome !== undefined) filter.outcome = outcome
  if (trigger !== undefined) filter.trigger = trigger
  for (const key of ['device', 'user', 'actor', 'cluster'] as const) {
    const value = text(key)
    if (value !== undefined) filter[key] = value
  }
  const run = text('run')
  if (run !== undefined) filter.runId = run
  const since = text('since')
  const until = text('until')
  if (since !== undefined) filter.from = momentOf('--since', since, now)
  if (until !== undefined) filter.to = momentOf('--until', until, now)
  // As GET /api/audit refuses it: the two swapped (--since 24h --until 48h) match nothing, which would read as a quiet night.
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
    throw new UsageError(`--since ${since ?? ''} is after --until ${until ?? ''} (${filter.from} > ${filter.to}): no record could match; the earlier moment goes with --since`)
  }
  const cursor = text('cursor')
  if (cursor === undefined) return { filter, limit }
  // As the API's pages: a cursor no page printed is said, not read as "the newest records".
  if (decodeCursor(cursor) === undefined) throw new UsageError(`--cursor takes the value a page of history printed for the next one (got "${cursor.slice(0, 40)}")`)
  return { filter, limit, cursor }
}

/**
 * `--since` and `--until`: an age back from now with its unit (24h, 90m, 3d) or a date or time (2026-12-02,
 * 2026-12-02T08:00:00Z; without a zone, UTC), as ISO 8601.
 */
function momentOf (option: string, text: string, now: number): string {
  // An age needs its unit here: a bare "2026" would be 2026 hours ago, not the year.
  if (AGE.test(text.trim()) && /[mhd]\s*$/i.test(text.trim())) return new Date(now - parseAge(text, option) * 3_600_000).toISOString()
  const written = text.trim().replace(' ', 'T')
  const dated = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(written)
  // A time without a zone is UTC, as a date alone is (JavaScript would read it as local time).
  const at = dated === null || !isCalendarDate(written.slice(0, 10)) ? Number.NaN : Date.parse(dated[1] !== undefined && dated[2] === undefined ? `${written}Z` : written)
  if (Number.isNaN(at)) throw new UsageError(`${option} takes an age such as 24h or 3d, or a date or time such as 2026-12-02 or 2026-12-02T08:00Z (got "${text.slice(0, 40)}")`)
  return new Date(at).toISOString()
}

/** Whether YYYY-MM-DD is a day of the calendar: JavaScript reads 2026-02-30 as 2 March, which nobody meant. */
function isCalendarDate (date: string): boolean {
  const at = Date.parse(`${date}T00:00:00Z`)
  return Number.isFinite(at) && new Date(at).toISOString().startsWith(date)
}

/**
 * The clusters there are, when `id` is none of them and no audit record names it (a cluster
 * removed since keeps its history, so it stays a filter); undefined when it is known. Read
 * without the runtime: the registry's clusters are the environment's (or the demo's) and the
 * dashboard's.
 */
async function clustersWithout (config: Config, store: Store, id: string): Promise<string[] | undefined> {
  // One row of the (cluster, id) index, before anything else is read.
  if (store.audit.iterate({ cluster: id }, 1).next().done !== true) return undefined
  // The demo's module brings the simulator: loaded only in demo mode, and only here.
  const environment = config.CUCM_HOST === undefined ? (await import('../clusters/demo.js')).DEMO_CLUSTERS.map((cluster) => cluster.id) : [config.CUCM_CLUSTER_ID]
  const known = new Map([...environment, ...store.clusters.list().map((row) => row.id)].map((cluster) => [clusterKey(cluster), cluster]))
  return known.has(clusterKey(id)) ? undefined : [...known.values()]
}

/**
 * The run `--run` names: its whole id, or its start as the summaries print it ("run 50348025")
 * when that begins one run's id only; else the ids it begins (a few), for the refusal.
 */
function runNamed (store: Store, named: string): { runId: string } | { several: string[] } {
  if (!/^[0-9a-f-]{1,35}$/i.test(named)) return { runId: named }
  const ids = store.audit.runIdsStartingWith(named.toLowerCase(), 3)
  return ids.length > 1 ? { several: ids } : { runId: ids[0] ?? named }
}

/** Reads the audit trail only: no EMAPI call, no simulator (in demo mode a --cluster without records loads its module, for the demo's cluster ids). */
export async function history (config: Config, { json, io }: { json: boolean, io: Io }, filter: AuditFilter, limit: number, cursor?: string): Promise<ExitCode> {
  const store = existingStore({ path: config.DATABASE_PATH })
  let page
  try {
    if (filter.cluster !== undefined) {
      const known = await clustersWithout(config, store, filter.cluster)
      if (known !== undefined) return unknownCluster(io, json, 'history', filter.cluster, known)
    }
    const named = filter.runId
    if (named !== undefined) {
      const run = runNamed(store, named)
      if ('several' in run) return refused(io, json, 'history', { exitCode: EXIT.config, errorCode: 'USAGE', message: `--run ${named} begins the ids of several runs (${run.several.slice(0, 2).join(', ')}${run.several.length > 2 ? ' and more' : ''}): give more of it.` })
      filter = { ...filter, runId: run.runId }
    }
    page = store.audit.page(filter, limit, cursor)
  } finally {
    await store.close()
  }
  if (json) {
    printJson(io, { command: 'history', ok: true, exitCode: EXIT.ok, items: page.items, total: page.total, totalIsLowerBound: page.totalIsLowerBound, nextCursor: page.nextCursor })
    return EXIT.ok
  }
  if (page.items.length === 0) {
    io.out('No matching audit records.')
    return EXIT.ok
  }
  // The cluster column once the rows shown are of more than one: the same action on two looks alike.
  const several = new Set(page.items.map((r) => r.cluster ?? '')).size > 1
  const rows = page.items.map((r) => [
    `#${r.id}`,
    ...(several ? [r.cluster ?? '-'] : []),
    shortTime(r.startedAt),
    r.trigger,
    r.actor,
    r.action,
    r.outcome + (r.emapiCode === null ? '' : ` (${r.emapiCode})`),
    // "+2" after the names read as a user ID: the count says what it is.
    [r.devices.slice(0, 3).join(',') + (r.devices.length > 3 ? ` (${r.devices.length - 3} more)` : ''), r.userId ?? ''].filter((t) => t !== '').join(' ') || '-',
    r.message ?? ''
  ])
  for (const line of table([['ID', ...(several ? ['CLUSTER'] : []), 'STARTED', 'TRIGGER', 'ACTOR', 'ACTION', 'OUTCOME', 'TARGET', 'MESSAGE'], ...rows])) io.out(line)
  // Where more match than were shown, how many, and how to read on: the newest 20 alone read as all.
  if (page.nextCursor !== null) {
    const total = `${page.total.toLocaleString('en-US')}${page.totalIsLowerBound ? ' or more' : ''}`
    io.out(`${page.items.length} of ${total} matching records shown; the next ones: the same command with --cursor ${page.nextCursor}`)
  }
  return EXIT.ok
}
