import type { ScheduleAction, ScheduleOutcome } from '@em-console/shared/schemas'
import type { Db } from '../store/database.js'

export interface StoredSchedule {
  id: number
  name: string
  cron: string
  timezone: string
  action: ScheduleAction
  /** logout-saved-list: the device list it runs (null: the first). Stored in `target` as JSON. */
  list: string | null
  /** logout-older-than: the age in hours (the target column); null otherwise. */
  hours: number | null
  /** logout-device-pools: the device pools (the target column); null otherwise. */
  pools: string[] | null
  /** The clusters it acts on (the target column); null: every enabled cluster (issue #17). */
  clusters: string[] | null
  enabled: boolean
  managedByConfig: boolean
  createdBy: string
  createdAt: string
  updatedAt: string
  /** Who saved its last change; null when nobody did since it was created (or before this was kept). */
  updatedBy: string | null
  lastRunAt: string | null
  lastOutcome: ScheduleOutcome | null
  lastMessage: string | null
  lastAuditId: number | null
}

/** What a schedule does, in words: "logout-older-than 12 h on hq, branch". */
export function describeAction (schedule: Pick<StoredSchedule, 'action' | 'list' | 'hours' | 'pools' | 'clusters'>): string {
  const where = schedule.clusters === null ? '' : ` on ${schedule.clusters.join(', ')}`
  if (schedule.list !== null) return `${schedule.action} of the list "${schedule.list}"${where}`
  if (schedule.hours !== null) return `${schedule.action} ${schedule.hours} h${where}`
  if (schedule.pools !== null) return `${schedule.action} ${schedule.pools.join(', ')}${where}`
  return `${schedule.action}${where}`
}

export interface NewSchedule {
  name: string
  cron: string
  timezone: string
  action: ScheduleAction
  list?: string | null
  hours?: number | null
  pools?: string[] | null
  clusters?: string[] | null
  enabled: boolean
  managedByConfig?: boolean
  createdBy: string
}

export type ScheduleChanges = Partial<Pick<StoredSchedule, 'name' | 'cron' | 'timezone' | 'action' | 'list' | 'hours' | 'pools' | 'clusters' | 'enabled' | 'managedByConfig'>>

export interface RunRecord {
  at: string
  outcome: ScheduleOutcome
  message: string
  auditId: number | null
}

interface Target {
  list: string | null
  hours: number | null
  pools: string[] | null
  clusters: string[] | null
}

const strings = (value: unknown): string[] | null => Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string') : null

/** The target column: an action's parameters (the list, the hours or the pools) and its clusters, as JSON; NULL when it has none. */
function targetOf (schedule: { list?: string | null, hours?: number | null, pools?: string[] | null, clusters?: string[] | null }): string | null {
  const target = Object.fromEntries(Object.entries({ list: schedule.list, hours: schedule.hours, pools: schedule.pools, clusters: schedule.clusters }).filter(([, value]) => value != null))
  return Object.keys(target).length === 0 ? null : JSON.stringify(target)
}

function readTarget (target: string | null): Target {
  const parsed = target === null ? {} : JSON.parse(target) as Record<string, unknown>
  return {
    list: typeof parsed.list === 'string' ? parsed.list : null,
    hours: typeof parsed.hours === 'number' ? parsed.hours : null,
    pools: strings(parsed.pools),
    clusters: strings(parsed.clusters)
  }
}

interface ScheduleRow {
  id: number
  name: string
  cron: string
  timezone: string
  action: ScheduleAction
  target: string | null
  enabled: number
  managed_by_config: number
  created_by: string
  created_at: string
  updated_at: string
  updated_by: string | null
  last_run_at: string | null
  last_outcome: ScheduleOutcome | null
  last_message: string | null
  last_audit_id: number | null
  running_since: string | null
  running_actor: string | null
}

/** The list a `target` names: `{"list":"Ward B"}`; NULL for actions that need none. */
function toSchedule (row: ScheduleRow): StoredSchedule {
  return {
    id: row.id,
    name: row.name,
    cron: row.cron,
    timezone: row.timezone,
    action: row.action,
    ...readTarget(row.target),
    enabled: row.enabled === 1,
    managedByConfig: row.managed_by_config === 1,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    lastRunAt: row.last_run_at,
    lastOutcome: row.last_outcome,
    lastMessage: row.last_message,
    lastAuditId: row.last_audit_id
  }
}

/**
 * A fire time the server reaches later than this (it was down, its clock was set forward past it,
 * the process or its machine was paused) is missed, not run late: a logout-all at 09:00 would
 * hit people at work.
 */
export const LATE_LIMIT_MS = 5 * 60_000

/**
 * The instant up to which a schedule's fire times are accounted for: its creation, its last
 * change, its last run (missed ones included), or the last record of its actor (`begun`: a run a
 * crash cut short began, it was not missed; a fire time skipped while its run still went),
 * whichever is latest.
 */
export function accountedUntil (schedule: Pick<StoredSchedule, 'createdAt' | 'updatedAt' | 'lastRunAt'>, begun: string | undefined): Date {
  return new Date([schedule.createdAt, schedule.updatedAt, schedule.lastRunAt ?? '', begun ?? ''].reduce((a, b) => (a > b ? a : b)))
}

/** The error code of the record of a fire time skipped while the schedule's run still went: not a record of that run. */
export const STILL_RUNNING = 'SCHEDULE_STILL_RUNNING'

export type ScheduleRepository = ReturnType<typeof createScheduleRepository>

export function createScheduleRepository (db: Db, now: () => Date = () => new Date()) {
  const all = db.prepare('SELECT * FROM schedules ORDER BY name')
  const byId = db.prepare('SELECT * FROM schedules WHERE id = ?')
  const byName = db.prepare('SELECT * FROM schedules WHERE name = ?')
  const insert = db.prepare(`INSERT INTO schedules (name, cron, timezone, action, target, enabled, managed_by_config, created_by, created_at, updated_at)
    VALUES (@name, @cron, @timezone, @action, @target, @enabled, @managedByConfig, @createdBy, @at, @at)`)
  const update = db.prepare(`UPDATE schedules SET name = @name, cron = @cron, timezone = @timezone, action = @action, target = @target, enabled = @enabled,
      managed_by_config = @managedByConfig, updated_at = @at, updated_by = @by WHERE id = @id`)
  const remove = db.prepare('DELETE FROM schedules WHERE id = ?')
  const run = db.prepare('UPDATE schedules SET last_run_at = @at, last_outcome = @outcome, last_message = @message, last_audit_id = @auditId, running_since = NULL, running_actor = NULL WHERE id = @id')
  const runningSince = db.prepare('UPDATE schedules SET running_since = ?, running_actor = ? WHERE id = ?')
  const cutShort = db.prepare('SELECT * FROM schedules WHERE running_since IS NOT NULL ORDER BY name')
  // The record a run cut short left, as its end would have named it: the first of its actor's
  // from its start. A timed run's actor is the schedule's own, whose runs never overlap; a
  // person's "run now" is theirs, and they may have begun something else of the same kind in
  // those seconds: then which is the schedule's is not known, and a wrong link is worse than
  // none (two or more found: none). A bulk run's summary: written at this start by the run
  // service (interruptRuns), before the schedules start.
  const runSummaries = db.prepare(`SELECT audit.id FROM runs JOIN audit ON audit.run_id = runs.id AND audit.action = 'bulk-run'
    WHERE runs.actor = ? AND runs.created_at >= ? ORDER BY runs.created_at LIMIT 2`).pluck()
  // A logout-all's row (interrupted at this start), when the actor's logouts of all users since
  // are one (a row, or the rows of one run id on several clusters): of several rows, the first
  // that did not go through, else the first, as cluster-actions.ts names it.
  const logoutAllRow = db.prepare(`WITH theirs AS (SELECT id, outcome, coalesce(run_id, 'row ' || id) AS one FROM audit WHERE action = 'logout-all' AND actor = ?
      AND started_at >= ? AND error_code IS NOT '${STILL_RUNNING}')
    SELECT id FROM theirs WHERE (SELECT count(DISTINCT one) FROM theirs) = 1 ORDER BY outcome = 'success', id LIMIT 1`).pluck()

  /** The record of a run cut short, by who began it and when; null when it left none, or none surely its (or began before running_actor was kept). */
  function recordOfCutShort (row: ScheduleRow): number | null {
    if (row.running_actor === null || row.running_since === null) return null
    if (row.action === 'logout-all') return (logoutAllRow.get(row.running_actor, row.running_since) as number | undefined) ?? null
    const found = runSummaries.all(row.running_actor, row.running_since) as number[]
    return found.length === 1 ? found[0] ?? null : null
  }

  const get = (id: number): StoredSchedule | undefined => {
    const row = byId.get(id) as ScheduleRow | undefined
    return row === undefined ? undefined : toSchedule(row)
  }

  const reads = {
    get,
    list: (): StoredSchedule[] => (all.all() as ScheduleRow[]).map(toSchedule),
    findByName (name: string): StoredSchedule | undefined {
      const row = byName.get(name) as ScheduleRow | undefined
      return row === undefined ? undefined : toSchedule(row)
    },
    /**
     * At a server's start: schedules whose run began and never ended (the server stopped during
     * it), with when it began and the record it left (see recordOfCutShort).
     */
    cutShort: (): Array<{ schedule: StoredSchedule, since: string, auditId: number | null }> =>
      (cutShort.all() as ScheduleRow[]).map((row) => ({ schedule: toSchedule(row), since: row.running_since ?? '', auditId: recordOfCutShort(row) }))
  }

  const writes = {
    create (schedule: NewSchedule): StoredSchedule {
      const id = Number(insert.run({
        name: schedule.name,
        cron: schedule.cron,
        timezone: schedule.timezone,
        action: schedule.action,
        createdBy: schedule.createdBy,
        target: targetOf(schedule),
        enabled: schedule.enabled ? 1 : 0,
        managedByConfig: schedule.managedByConfig === true ? 1 : 0,
        at: now().toISOString()
      }).lastInsertRowid)
      return get(id) as StoredSchedule
    },
    /** `by`: the person who saved the change; none for the server's own (its configuration). */
    update (id: number, changes: ScheduleChanges, by: string | null = null): StoredSchedule | undefined {
      const current = get(id)
      if (current === undefined) return undefined
      const next = { ...current, ...changes }
      // Each change has its own updatedAt, even two in one millisecond: it is the version a PATCH sends back.
      const at = new Date(Math.max(now().getTime(), Date.parse(current.updatedAt) + 1)).toISOString()
      update.run({ id, name: next.name, cron: next.cron, timezone: next.timezone, action: next.action, target: targetOf(next), enabled: next.enabled ? 1 : 0, managedByConfig: next.managedByConfig ? 1 : 0, at, by })
      return get(id)
    },
    delete: (id: number): boolean => remove.run(id).changes > 0,
    /** A run of the schedule began at `at`, by `actor` (null: it did not run after all); recording its outcome ends it. */
    setRunningSince (id: number, at: string | null, actor: string | null = null): void {
      runningSince.run(at, actor, id)
    },
    recordRun (id: number, record: RunRecord): void {
      run.run({ id, ...record })
    }
  }

  return { reads, writes }
}
