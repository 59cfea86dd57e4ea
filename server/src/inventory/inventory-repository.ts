import type { AxlPhone, AxlSession } from '@em-console/shared/axl'
import { DEFAULT_VERIFY_AFTER_SECONDS, SESSION_AGE_BUCKETS } from '@em-console/shared/rules'
import type {
  EndedSession, InventoryPhone, LiveSession, PhonesQuery, SessionEndReason, SessionFilters,
  SessionHistoryQuery, SessionSort, SessionSummary, SortOrder
} from '@em-console/shared/schemas'
import { NOT_SENT } from '../audit/audit-repository.js'
import type { Db } from '../store/database.js'
import { statementCache } from '../store/statement-cache.js'
import { containsPattern, nocaseKey, prefixRange, type KeyRange } from './names.js'

/** "No maximum duration" as stored: the last date JavaScript can hold, so it sorts last (011-inventory.sql). */
const NO_AUTO_LOGOUT = 8_640_000_000_000_000
const HOUR = 3_600_000

export interface StoredInventoryState {
  cluster: string
  asOf: string | null
  refreshMs: number | null
  axlVersion: string | null
  lastAttemptAt: string | null
  error: { code: string, message: string, at: string } | null
}

export interface InventoryCounts {
  phones: number
  emEnabledPhones: number
  sessions: number
  users: number
}

/** What one range of a sessions refresh changed. */
export interface SessionChanges {
  started: number
  ended: number
  updated: number
}

interface SessionRow {
  cluster: string
  device: string
  user_id: string
  profile: string
  login_ms: number
  auto_logout_ms: number
  device_pool: string
  model: string
  description: string
  first_seen_at: string
}

interface PhoneRow {
  cluster: string
  name: string
  model: string | null
  description: string
  device_pool: string | null
  em_enabled: number
}

interface HistoryRow {
  id: number
  cluster: string
  device: string
  user_id: string
  profile: string | null
  device_pool: string | null
  model: string | null
  description: string
  login_ms: number | null
  ended_ms: number
  ended_by: SessionEndReason
  actor: string | null
  audit_id: number | null
}

interface EndedBy {
  at: number
  by: SessionEndReason
  actor: string | null
  auditId: number | null
}

const orNull = (text: string): string | null => text === '' ? null : text
const iso = (ms: number): string => new Date(ms).toISOString()

function toLiveSession (row: SessionRow): LiveSession {
  return {
    cluster: row.cluster,
    deviceName: row.device,
    userId: row.user_id,
    profile: orNull(row.profile),
    loginTime: row.login_ms === 0 ? null : iso(row.login_ms),
    autoLogoutAt: row.auto_logout_ms === NO_AUTO_LOGOUT ? null : iso(row.auto_logout_ms),
    devicePool: orNull(row.device_pool),
    model: orNull(row.model),
    description: row.description
  }
}

function toEndedSession (row: HistoryRow): EndedSession {
  return {
    id: row.id,
    cluster: row.cluster,
    deviceName: row.device,
    userId: row.user_id,
    profile: row.profile,
    devicePool: row.device_pool,
    model: row.model,
    description: row.description,
    loginTime: row.login_ms === null ? null : iso(row.login_ms),
    endedAt: iso(row.ended_ms),
    durationSeconds: row.login_ms === null ? null : Math.max(0, Math.round((row.ended_ms - row.login_ms) / 1000)),
    endedBy: row.ended_by,
    actor: row.actor,
    auditId: row.audit_id
  }
}

/** A stored session from an AXL row; `at` is when the refresh read it. */
function toSessionRow (cluster: string, s: AxlSession, firstSeenAt: string): SessionRow {
  const loginMs = s.loginTime === null ? 0 : Date.parse(s.loginTime)
  return {
    cluster,
    device: s.deviceName,
    user_id: s.userId,
    profile: s.profile ?? '',
    login_ms: loginMs,
    auto_logout_ms: s.loginDurationSeconds === null || loginMs === 0 ? NO_AUTO_LOGOUT : loginMs + s.loginDurationSeconds * 1000,
    device_pool: s.devicePool ?? '',
    model: s.model ?? '',
    description: s.description,
    first_seen_at: firstSeenAt
  }
}

/** The same login: the same user since the same time (a new login on the phone is a new session). */
function sameLogin (a: SessionRow, b: SessionRow): boolean {
  return a.user_id.toLowerCase() === b.user_id.toLowerCase() && a.login_ms === b.login_ms
}

function sameAttributes (a: SessionRow, b: SessionRow): boolean {
  return a.profile === b.profile && a.auto_logout_ms === b.auto_logout_ms && a.device_pool === b.device_pool &&
    a.model === b.model && a.description === b.description && a.user_id === b.user_id && a.device === b.device
}

/** The columns each sort reads, in index order; every sort ends in device, cluster (the keyset tie-break). */
const SORT_COLUMN: Record<SessionSort, string> = {
  loginTime: 'login_ms',
  device: 'device',
  user: 'user_id',
  devicePool: 'device_pool',
  model: 'model',
  profile: 'profile',
  autoLogoutAt: 'auto_logout_ms',
  description: 'description'
}

type CursorValue = string | number
type Cursor = [CursorValue, string, string]

function encodeKeyset (values: ReadonlyArray<CursorValue>): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url')
}

/** A cursor of `length` values (strings or numbers), or undefined when it is not one of ours. */
export function decodeKeyset (cursor: string, length: number): CursorValue[] | undefined {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (!Array.isArray(values) || values.length !== length) return undefined
    return values.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) ? values as CursorValue[] : undefined
  } catch {
    return undefined
  }
}

/** WHERE clauses and their parameters, built from a filter by one of the helpers below. */
class Where {
  readonly clauses: string[] = []
  readonly params: unknown[] = []

  add (sql: string, ...values: unknown[]): this {
    this.clauses.push(sql)
    this.params.push(...values)
    return this
  }

  in (column: string, values: readonly string[] | undefined): this {
    if (values === undefined || values.length === 0) return this
    return this.add(`${column} IN (${values.map(() => '?').join(', ')})`, ...values)
  }

  /** A prefix as an index range on a NOCASE column. */
  prefix (column: string, prefix: string | undefined): this {
    if (prefix === undefined) return this
    return this.add(`${column} >= ? AND ${column} < ?`, ...prefixRange(prefix))
  }

  get sql (): string {
    return this.clauses.length === 0 ? '' : `WHERE ${this.clauses.join(' AND ')}`
  }
}

/**
 * Filters as the inventory service gives them: without a cluster, `inUse` names the clusters whose
 * rows are current. A cluster disabled keeps its rows (named by its id), read no more (a deleted
 * one's are retired).
 */
export type InUse<F> = F & { inUse?: readonly string[] }

/** The clusters in use, when no cluster is asked. Unary +: a filter, not the index (cluster, device) read and sorted. */
function inUseOnly (where: Where, column: string, filters: { cluster?: string, inUse?: readonly string[] }): Where {
  if (filters.cluster !== undefined || filters.inUse === undefined) return where
  return where.add(`+${column} IN (${filters.inUse.map(() => '?').join(', ')})`, ...filters.inUse)
}

function sessionWhere (filters: InUse<SessionFilters>, nowMs: number): Where {
  const where = new Where()
  if (filters.cluster !== undefined) where.add('cluster = ?', filters.cluster)
  inUseOnly(where, 'cluster', filters)
  where.in('device_pool', filters.devicePool)
  if (filters.model !== undefined) where.add('model = ?', filters.model)
  where.prefix('user_id', filters.user).prefix('device', filters.device)
  // Sessions whose login time CUCM does not hold (stored 0) are never "older than": their age is unknown.
  if (filters.olderThanHours !== undefined) where.add('login_ms > 0 AND login_ms <= ?', Math.floor(nowMs - filters.olderThanHours * HOUR))
  if (filters.q !== undefined) {
    const pattern = containsPattern(filters.q)
    where.add("(device LIKE ? ESCAPE '\\' OR user_id LIKE ? ESCAPE '\\' OR profile LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\')", pattern, pattern, pattern, pattern)
  }
  return where
}

export interface SessionPageResult {
  sessions: LiveSession[]
  total: number
  nextCursor: string | null
}

export interface HistoryPageResult {
  sessions: EndedSession[]
  nextCursor: string | null
}

export interface PhonePageResult {
  phones: InventoryPhone[]
  total: number
  nextCursor: string | null
}

export type InventoryRepository = ReturnType<typeof createInventoryRepository>

/**
 * EM Console's own logouts on a session's cluster, read from the audit trail: the first one after
 * the login ended it. Asked once per ended session (a logout-all ends thousands at once), so each
 * walks only what it must: the device's own audit rows (CROSS JOIN keeps audit_devices outside),
 * and the cluster's logout-alls since the login (audit_logout_all, 021; the unary + keeps the
 * planner off audit_outcome: successes are nearly all of the trail). Rows from before clusters name
 * the environment's cluster.
 */
export const OWN_DEVICE_LOGOUT_SQL = `SELECT a.id, a.actor, a.finished_at FROM audit_devices ad CROSS JOIN audit a ON a.id = ad.audit_id
    WHERE ad.device = ? AND a.cluster = ? AND a.action = 'logout' AND a.started_at >= ?
    AND (a.outcome = 'success' OR (a.outcome IN ('unknown', 'interrupted') AND a.error_code IS NOT '${NOT_SENT}' AND a.finished_at >= ?)) ORDER BY ad.audit_id LIMIT 1`
export const OWN_LOGOUT_ALL_SQL = `SELECT id, actor, finished_at FROM audit WHERE action = 'logout-all' AND cluster = ? AND started_at >= ?
    AND (+outcome = 'success' OR (+outcome IN ('unknown', 'interrupted') AND error_code IS NOT '${NOT_SENT}' AND finished_at >= ?)) ORDER BY id LIMIT 1`
/**
 * CUCM's lag (../shared/emapi/PROTOCOL.md §5): a logout-all's users may be listed for a few minutes
 * after it. A logout (of a device, or of all) sent without an answer (unknown, or interrupted by a
 * stop while it waited: it may have happened; not one interrupted before it was sent, NOT_SENT)
 * ended a session gone by the reads up to this long after it; a session listed later was ended by
 * something else.
 */
const UNKNOWN_LOGOUT_LAG_MS = DEFAULT_VERIFY_AFTER_SECONDS * 1000

/**
 * The inventory tables (011-inventory.sql): phones and current sessions per cluster, replaced range
 * by range by each refresh, and the history of sessions that ended. Reads are keyset pages over
 * indexes, so a page of 20,000 sessions is as quick as a page of 20.
 */
export function createInventoryRepository (db: Db, now: () => Date = () => new Date()) {
  // Filters vary (pools IN (...), optional clauses): each distinct statement is prepared once.
  const { prepared } = statementCache(db)

  const stateOf = db.prepare('SELECT * FROM inventory_state WHERE cluster = ?')
  const ensureState = db.prepare('INSERT OR IGNORE INTO inventory_state (cluster) VALUES (?)')
  const attempt = db.prepare('UPDATE inventory_state SET last_attempt_at = ? WHERE cluster = ?')
  const succeed = db.prepare(`UPDATE inventory_state SET as_of = @asOf, refresh_ms = @refreshMs, axl_version = @axlVersion, error_code = NULL, error_message = NULL, error_at = NULL,
      phones = @phones, em_enabled_phones = @emEnabledPhones, sessions = @sessions, users = @users WHERE cluster = @cluster`)
  const fail = db.prepare('UPDATE inventory_state SET error_code = @code, error_message = @message, error_at = @at WHERE cluster = @cluster')
  const phoneCounts = db.prepare('SELECT count(*) AS phones, coalesce(sum(em_enabled), 0) AS enabled FROM inventory_phones WHERE cluster = ?')
  const sessionCounts = db.prepare('SELECT count(*) AS sessions, count(DISTINCT user_id) AS users FROM inventory_sessions WHERE cluster = ?')
  const storedCounts = db.prepare('SELECT phones, em_enabled_phones, sessions, users FROM inventory_state WHERE cluster = ?')
  const userIdsOf = db.prepare('SELECT DISTINCT user_id FROM inventory_sessions WHERE cluster = ?')

  const upsertPhone = db.prepare(`INSERT INTO inventory_phones (cluster, name, model, description, device_pool, em_enabled) VALUES (@cluster, @name, @model, @description, @device_pool, @em_enabled)
    ON CONFLICT (cluster, name) DO UPDATE SET name = excluded.name, model = excluded.model, description = excluded.description, device_pool = excluded.device_pool, em_enabled = excluded.em_enabled`)
  const deletePhone = db.prepare('DELETE FROM inventory_phones WHERE cluster = ? AND name = ?')
  const upsertSession = db.prepare(`INSERT INTO inventory_sessions (cluster, device, user_id, profile, login_ms, auto_logout_ms, device_pool, model, description, first_seen_at)
    VALUES (@cluster, @device, @user_id, @profile, @login_ms, @auto_logout_ms, @device_pool, @model, @description, @first_seen_at)
    ON CONFLICT (cluster, device) DO UPDATE SET device = excluded.device, user_id = excluded.user_id, profile = excluded.profile, login_ms = excluded.login_ms,
      auto_logout_ms = excluded.auto_logout_ms, device_pool = excluded.device_pool, model = excluded.model, description = excluded.description, first_seen_at = excluded.first_seen_at`)
  const deleteSession = db.prepare('DELETE FROM inventory_sessions WHERE cluster = ? AND device = ?')
  const insertHistory = db.prepare(`INSERT INTO session_history (cluster, device, user_id, profile, device_pool, model, description, login_ms, ended_ms, ended_by, actor, audit_id)
    VALUES (@cluster, @device, @user_id, @profile, @device_pool, @model, @description, @login_ms, @ended_ms, @ended_by, @actor, @audit_id)`)
  const deviceLogout = db.prepare(OWN_DEVICE_LOGOUT_SQL)
  const logoutAll = db.prepare(OWN_LOGOUT_ALL_SQL)
  const purge = db.prepare('DELETE FROM session_history WHERE id IN (SELECT id FROM session_history WHERE ended_ms < ? LIMIT ?)')
  const sessionsOf = db.prepare('SELECT * FROM inventory_sessions WHERE cluster = ?')
  const deletePhones = db.prepare('DELETE FROM inventory_phones WHERE cluster = ?')
  const deleteState = db.prepare('DELETE FROM inventory_state WHERE cluster = ?')
  const historyOf = db.prepare('SELECT 1 FROM session_history WHERE cluster = ? LIMIT 1')
  const phoneByName = db.prepare('SELECT * FROM inventory_phones WHERE name = ? AND cluster = ?')
  const sessionByDevice = db.prepare('SELECT * FROM inventory_sessions WHERE device = ? AND cluster = ?')

  function rangeRows<T> (table: 'inventory_phones' | 'inventory_sessions', column: 'name' | 'device', cluster: string, range: KeyRange<unknown>): T[] {
    const clauses = ['cluster = ?']
    const params: unknown[] = [cluster]
    if (range.from !== null) { clauses.push(`${column} >= ?`); params.push(range.from) }
    if (range.to !== null) { clauses.push(`${column} < ?`); params.push(range.to) }
    return prepared(`SELECT * FROM ${table} WHERE ${clauses.join(' AND ')}`).all(...params) as T[]
  }

  /**
   * How a session that is gone ended: EM Console's own logout if the audit trail has one, else
   * CUCM's clock. `listedMs`: the last refresh of its cluster, which still listed it.
   */
  function endOf (row: SessionRow, refreshMs: number, listedMs: number, nextLoginMs: number | null): EndedBy {
    // A login that replaced this one came after it; one dated before it (a simulator's reset logs
    // its seed in again under old times, a clock moved back) says nothing of when this one ended.
    const replacedAtMs = nextLoginMs !== null && nextLoginMs >= row.login_ms ? nextLoginMs : null
    // A logout begun before a refresh saw the session alive did not end it (a session logged in
    // again under an old login time, as a simulator's reset does, was credited to it).
    const since = iso(Math.max(row.login_ms, Date.parse(row.first_seen_at)))
    const settled = iso(listedMs - UNKNOWN_LOGOUT_LAG_MS)
    const found = [deviceLogout.get(row.device, row.cluster, since, settled), logoutAll.get(row.cluster, since, settled)] as Array<{ id: number, actor: string, finished_at: string | null } | undefined>
    const own = found
      .filter((a): a is { id: number, actor: string, finished_at: string } => a !== undefined && a.finished_at !== null)
      .map((a) => ({ at: Date.parse(a.finished_at), by: 'em-console' as const, actor: a.actor, auditId: a.id }))
      .filter((a) => a.at <= (replacedAtMs ?? Number.POSITIVE_INFINITY))
      .sort((a, b) => a.at - b.at)[0]
    const auto = row.auto_logout_ms <= refreshMs && row.auto_logout_ms <= (replacedAtMs ?? refreshMs) ? row.auto_logout_ms : undefined
    if (own !== undefined && (auto === undefined || own.at <= auto)) return own
    if (auto !== undefined) return { at: auto, by: 'auto-logout', actor: null, auditId: null }
    if (replacedAtMs !== null && replacedAtMs <= refreshMs && replacedAtMs > 0) return { at: replacedAtMs, by: 'replaced', actor: null, auditId: null }
    return { at: refreshMs, by: 'not-seen', actor: null, auditId: null }
  }

  function recordEnded (row: SessionRow, end: EndedBy): void {
    insertHistory.run({
      cluster: row.cluster,
      device: row.device,
      user_id: row.user_id,
      profile: orNull(row.profile),
      device_pool: orNull(row.device_pool),
      model: orNull(row.model),
      description: row.description,
      login_ms: row.login_ms === 0 ? null : row.login_ms,
      ended_ms: end.at,
      ended_by: end.by,
      actor: end.actor,
      audit_id: end.auditId
    })
    deleteSession.run(row.cluster, row.device)
  }

  const writes = {
    /** Replaces one name range of a cluster's phones with what AXL listed in it. */
    applyPhones (cluster: string, range: KeyRange<AxlPhone>): number {
      const current = new Map(rangeRows<PhoneRow>('inventory_phones', 'name', cluster, range).map((r) => [nocaseKey(r.name), r]))
      let changed = 0
      for (const phone of range.items) {
        const key = nocaseKey(phone.name)
        const row = current.get(key)
        current.delete(key)
        const next = { cluster, name: phone.name, model: phone.model, description: phone.description, device_pool: phone.devicePool, em_enabled: phone.emEnabled ? 1 : 0 }
        if (row !== undefined && row.name === next.name && row.model === next.model && row.description === next.description && row.device_pool === next.device_pool && row.em_enabled === next.em_enabled) continue
        upsertPhone.run(next)
        changed++
      }
      for (const gone of current.values()) deletePhone.run(cluster, gone.name)
      return changed + current.size
    },

    /**
     * Replaces one device range of a cluster's sessions with what AXL listed in it. A session no
     * longer listed (or replaced by another login on its phone) moves to the history, ended as the
     * audit trail or CUCM's auto-logout says, else at `asOf`, the time of the refresh.
     */
    applySessions (cluster: string, range: KeyRange<AxlSession>, asOf: Date): SessionChanges {
      const at = asOf.toISOString()
      const refreshMs = asOf.getTime()
      const listedAt = (stateOf.get(cluster) as { as_of: string | null } | undefined)?.as_of ?? null
      const listedMs = listedAt === null ? refreshMs : Date.parse(listedAt)
      const current = new Map(rangeRows<SessionRow>('inventory_sessions', 'device', cluster, range).map((r) => [nocaseKey(r.device), r]))
      const changes: SessionChanges = { started: 0, ended: 0, updated: 0 }
      for (const session of range.items) {
        const key = nocaseKey(session.deviceName)
        const before = current.get(key)
        current.delete(key)
        const next = toSessionRow(cluster, session, at)
        if (before !== undefined && sameLogin(before, next)) {
          if (sameAttributes(before, next)) continue
          upsertSession.run({ ...next, first_seen_at: before.first_seen_at })
          changes.updated++
          continue
        }
        if (before !== undefined) {
          recordEnded(before, endOf(before, refreshMs, listedMs, next.login_ms))
          changes.ended++
        }
        upsertSession.run(next)
        changes.started++
      }
      for (const gone of current.values()) {
        recordEnded(gone, endOf(gone, refreshMs, listedMs, null))
        changes.ended++
      }
      return changes
    },

    /**
     * Ends the inventory of a cluster deleted now: EM Console follows its sessions no more, so each
     * goes to the history as a refresh now would end it (an own logout or auto-logout since the
     * last refresh, else now), and its phones and state go. A cluster added again with
     * the id starts empty: its first refresh read the earlier cluster's rows as the state before,
     * and ended sessions gone for weeks, or on another CUCM, at that refresh. Returns how many ended.
     */
    retire (cluster: string): number {
      const atMs = now().getTime()
      const listedAt = (stateOf.get(cluster) as { as_of: string | null } | undefined)?.as_of ?? null
      const listedMs = listedAt === null ? atMs : Date.parse(listedAt)
      const open = sessionsOf.all(cluster) as SessionRow[]
      for (const row of open) recordEnded(row, endOf(row, atMs, listedMs, null))
      deletePhones.run(cluster)
      deleteState.run(cluster)
      return open.length
    },

    recordAttempt (cluster: string, at: Date): void {
      ensureState.run(cluster)
      attempt.run(at.toISOString(), cluster)
    },

    /** Marks the refresh good and counts what it stored, once (every status read is then one row). */
    recordSuccess (cluster: string, result: { asOf: Date, refreshMs: number, axlVersion: string }): InventoryCounts {
      ensureState.run(cluster)
      const phones = phoneCounts.get(cluster) as { phones: number, enabled: number }
      const sessions = sessionCounts.get(cluster) as { sessions: number, users: number }
      const counts = { phones: phones.phones, emEnabledPhones: phones.enabled, sessions: sessions.sessions, users: sessions.users }
      succeed.run({ cluster, asOf: result.asOf.toISOString(), refreshMs: Math.round(result.refreshMs), axlVersion: result.axlVersion, ...counts })
      return counts
    },

    recordFailure (cluster: string, error: { code: string, message: string, at: string }): void {
      ensureState.run(cluster)
      // The failure's own time: the refresh finds its own action (a TLS problem's fix) by it.
      fail.run({ cluster, code: error.code, message: error.message, at: error.at })
    },

    /** Deletes up to `limit` ended sessions older than the cut-off; returns how many. */
    purgeHistory (beforeMs: number, limit: number): number {
      return purge.run(beforeMs, limit).changes
    }
  }

  const reads = {
    state (cluster: string): StoredInventoryState | undefined {
      const row = stateOf.get(cluster) as { cluster: string, as_of: string | null, refresh_ms: number | null, axl_version: string | null, last_attempt_at: string | null, error_code: string | null, error_message: string | null, error_at: string | null } | undefined
      if (row === undefined) return undefined
      return {
        cluster: row.cluster,
        asOf: row.as_of,
        refreshMs: row.refresh_ms,
        axlVersion: row.axl_version,
        lastAttemptAt: row.last_attempt_at,
        error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '', at: row.error_at ?? '' }
      }
    },

    /** The device pools the inventory's phones are in, on these clusters or on all (a name given may be a typo). */
    devicePools (clusters?: readonly string[]): string[] {
      const rows = clusters === undefined
        ? prepared('SELECT DISTINCT device_pool AS pool FROM inventory_phones WHERE device_pool IS NOT NULL').all()
        : prepared(`SELECT DISTINCT device_pool AS pool FROM inventory_phones WHERE cluster IN (${clusters.map(() => '?').join(', ')}) AND device_pool IS NOT NULL`).all(...clusters)
      return [...new Set((rows as Array<{ pool: string }>).map((row) => row.pool))].sort((a, b) => a.localeCompare(b))
    },

    /** Whether the session history holds sessions of this cluster id (one deleted or disabled keeps them). */
    hasHistory (cluster: string): boolean {
      return historyOf.get(cluster) !== undefined
    },

    /** The users logged in on a cluster, as the inventory last read them (each once, as its counts count them). */
    userIds (cluster: string): string[] {
      return (userIdsOf.all(cluster) as Array<{ user_id: string }>).map((row) => row.user_id)
    },

    /** What the last good refresh counted (zeros before the first). */
    counts (cluster: string): InventoryCounts {
      const row = storedCounts.get(cluster) as { phones: number, em_enabled_phones: number, sessions: number, users: number } | undefined
      return { phones: row?.phones ?? 0, emEnabledPhones: row?.em_enabled_phones ?? 0, sessions: row?.sessions ?? 0, users: row?.users ?? 0 }
    },

    /** A keyset page of current sessions; `nowMs` is the clock "older than" counts from. */
    sessionsPage (filters: InUse<SessionFilters>, sort: SessionSort, order: SortOrder, limit: number, cursor: string | undefined, nowMs: number): SessionPageResult {
      const where = sessionWhere(filters, nowMs)
      const total = (prepared(`SELECT count(*) AS n FROM inventory_sessions ${where.sql}`).get(...where.params) as { n: number }).n
      const found = sessionRows(filters, sort, order, limit + 1, cursor === undefined ? undefined : decodeKeyset(cursor, 3) as Cursor | undefined, nowMs)
      const rows = found.slice(0, limit)
      const last = rows.at(-1)
      const column = SORT_COLUMN[sort] as keyof SessionRow
      return {
        sessions: rows.map(toLiveSession),
        total,
        nextCursor: found.length > limit && last !== undefined ? encodeKeyset([last[column] as CursorValue, last.device, last.cluster]) : null
      }
    },

    /** Every matching session in order, in batches, with no query left open between them (CSV export). */
    * iterateSessions (filters: InUse<SessionFilters>, sort: SessionSort, order: SortOrder, nowMs: number, batchSize = 500): Generator<LiveSession[]> {
      let after: Cursor | undefined
      const column = SORT_COLUMN[sort] as keyof SessionRow
      for (;;) {
        const batch = sessionRows(filters, sort, order, batchSize, after, nowMs)
        if (batch.length === 0) return
        // Before the yield: the rows are not kept while the caller waits (routes/csv-export.ts).
        const last = batch.at(-1) as SessionRow
        after = [last[column] as CursorValue, last.device, last.cluster]
        const more = batch.length === batchSize
        yield batch.map(toLiveSession)
        if (!more) return
      }
    },

    /** How many sessions the filters would match but for their age, whose login time CUCM does not hold (stored 0): never "older than". */
    countUnknownAge (filters: InUse<SessionFilters>, nowMs: number): number {
      const where = sessionWhere({ ...filters, olderThanHours: undefined }, nowMs).add('login_ms = 0')
      return (prepared(`SELECT count(*) AS n FROM inventory_sessions ${where.sql}`).get(...where.params) as { n: number }).n
    },

    /** The device, user and cluster of every matching session, oldest login first (a selection for a run). */
    selectDevices (filters: InUse<SessionFilters>, nowMs: number): Array<{ cluster: string, deviceName: string, userId: string }> {
      const where = sessionWhere(filters, nowMs)
      const rows = prepared(`SELECT cluster, device, user_id FROM inventory_sessions ${where.sql} ORDER BY login_ms, device, cluster`).all(...where.params) as Array<{ cluster: string, device: string, user_id: string }>
      return rows.map((r) => ({ cluster: r.cluster, deviceName: r.device, userId: r.user_id }))
    },

    summary (filters: InUse<SessionFilters>, nowMs: number): Omit<SessionSummary, 'asOf'> {
      const where = sessionWhere(filters, nowMs)
      const bounds = SESSION_AGE_BUCKETS.map((hours) => nowMs - hours * HOUR)
      // One pass: counts, distinct users, and the age buckets as sums (an unknown login time is its own bucket).
      const buckets = bounds.map((_, i) => i === 0 ? 'sum(login_ms > ?)' : 'sum(login_ms <= ? AND login_ms > ?)')
      const bucketParams = bounds.flatMap((bound, i) => i === 0 ? [bound] : [bounds[i - 1], bound])
      // One session per phone (CUCM keeps one row per device), so phones are the sessions counted.
      const totals = prepared(`SELECT count(*) AS total, count(DISTINCT user_id) AS users,
          ${buckets.map((b, i) => `coalesce(${b}, 0) AS b${i}`).join(', ')}, coalesce(sum(login_ms > 0 AND login_ms <= ?), 0) AS last, coalesce(sum(login_ms = 0), 0) AS unknown
        FROM inventory_sessions ${where.sql}`).get(...bucketParams, bounds.at(-1), ...where.params) as Record<string, number>
      const clusters = prepared(`SELECT cluster, count(*) AS sessions FROM inventory_sessions ${where.sql} GROUP BY cluster ORDER BY cluster`).all(...where.params) as Array<{ cluster: string, sessions: number }>
      const pools = prepared(`SELECT cluster, device_pool, count(*) AS sessions FROM inventory_sessions ${where.sql} GROUP BY cluster, device_pool ORDER BY sessions DESC, device_pool`).all(...where.params) as Array<{ cluster: string, device_pool: string, sessions: number }>
      const oldestWhere = sessionWhere(filters, nowMs).add('login_ms > 0')
      const oldest = prepared(`SELECT * FROM inventory_sessions ${oldestWhere.sql} ORDER BY login_ms, device, cluster LIMIT 1`).get(...oldestWhere.params) as SessionRow | undefined
      const ages = SESSION_AGE_BUCKETS.map((hours, i) => {
        const from = i === 0 ? 0 : SESSION_AGE_BUCKETS[i - 1] as number
        return { label: i === 0 ? `< ${hours} h` : `${ageLabel(from)}–${ageLabel(hours)}`, fromHours: from, toHours: hours as number | null, sessions: totals[`b${i}`] ?? 0 }
      })
      const lastHours = SESSION_AGE_BUCKETS.at(-1) as number
      ages.push({ label: `> ${ageLabel(lastHours)}`, fromHours: lastHours, toHours: null, sessions: totals.last ?? 0 })
      return {
        total: totals.total ?? 0,
        users: totals.users ?? 0,
        phones: totals.total ?? 0,
        clusters,
        devicePools: pools.map((p) => ({ cluster: p.cluster, devicePool: orNull(p.device_pool), sessions: p.sessions })),
        oldest: oldest === undefined ? null : toLiveSession(oldest),
        ages,
        unknownAge: totals.unknown ?? 0
      }
    },

    /** Ended sessions, the latest end first, as a keyset page. */
    historyPage (query: SessionHistoryQuery, limit: number, cursor: string | undefined): HistoryPageResult {
      const after = cursor === undefined ? undefined : decodeKeyset(cursor, 2)
      const found = historyRows(query, limit + 1, after)
      const rows = found.slice(0, limit)
      const last = rows.at(-1)
      return { sessions: rows.map(toEndedSession), nextCursor: found.length > limit && last !== undefined ? encodeKeyset([last.ended_ms, last.id]) : null }
    },

    /** Every matching ended session, the latest end first, in batches, with no query left open between them (CSV export). */
    * iterateHistory (query: SessionHistoryQuery, batchSize = 500): Generator<EndedSession[]> {
      let after: CursorValue[] | undefined
      for (;;) {
        const batch = historyRows(query, batchSize, after)
        if (batch.length === 0) return
        // Before the yield: the rows are not kept while the caller waits (routes/csv-export.ts).
        const last = batch.at(-1) as HistoryRow
        after = [last.ended_ms, last.id]
        const more = batch.length === batchSize
        yield batch.map(toEndedSession)
        if (!more) return
      }
    },

    phonesPage (query: InUse<PhonesQuery>, limit: number, cursor: string | undefined): PhonePageResult {
      const where = new Where()
      if (query.cluster !== undefined) where.add('p.cluster = ?', query.cluster)
      inUseOnly(where, 'p.cluster', query)
      where.in('p.device_pool', query.devicePool)
      if (query.model !== undefined) where.add('p.model = ? COLLATE NOCASE', query.model)
      where.prefix('p.name', query.device)
      if (query.emEnabled !== undefined) where.add('p.em_enabled = ?', query.emEnabled ? 1 : 0)
      if (query.loggedIn !== undefined) where.add(query.loggedIn ? 's.device IS NOT NULL' : 's.device IS NULL')
      const from = 'FROM inventory_phones p LEFT JOIN inventory_sessions s ON s.cluster = p.cluster AND s.device = p.name'
      const total = (prepared(`SELECT count(*) AS n ${from} ${where.sql}`).get(...where.params) as { n: number }).n
      const after = cursor === undefined ? undefined : decodeKeyset(cursor, 2)
      if (after !== undefined) where.add('(p.name, p.cluster) > (?, ?)', ...after)
      const found = prepared(`SELECT p.*, s.user_id, s.login_ms ${from} ${where.sql} ORDER BY p.name, p.cluster LIMIT ?`).all(...where.params, limit + 1) as Array<PhoneRow & { user_id: string | null, login_ms: number | null }>
      const rows = found.slice(0, limit)
      const last = rows.at(-1)
      return {
        phones: rows.map((r) => ({
          cluster: r.cluster,
          name: r.name,
          model: r.model,
          description: r.description,
          devicePool: r.device_pool,
          emEnabled: r.em_enabled === 1,
          userId: r.user_id,
          loginTime: r.login_ms === null || r.login_ms === 0 ? null : iso(r.login_ms)
        })),
        total,
        nextCursor: found.length > limit && last !== undefined ? encodeKeyset([last.name, last.cluster]) : null
      }
    },

    /** What the inventory holds of one device of a cluster (its phone row and its session). */
    device (name: string, cluster: string): { phone: { cluster: string, model: string | null, devicePool: string | null, emEnabled: boolean } | undefined, session: LiveSession | undefined } {
      const phone = phoneByName.get(name, cluster) as PhoneRow | undefined
      const session = phone === undefined ? undefined : sessionByDevice.get(name, phone.cluster) as SessionRow | undefined
      return {
        phone: phone === undefined ? undefined : { cluster: phone.cluster, model: phone.model, devicePool: phone.device_pool, emEnabled: phone.em_enabled === 1 },
        session: session === undefined ? undefined : toLiveSession(session)
      }
    },

    /** The current sessions of a user (exact ID), for user look-ups. */
    sessionsOfUser (userId: string): LiveSession[] {
      return (prepared('SELECT * FROM inventory_sessions WHERE user_id = ? ORDER BY login_ms, device').all(userId) as SessionRow[]).map(toLiveSession)
    }
  }

  function sessionRows (filters: InUse<SessionFilters>, sort: SessionSort, order: SortOrder, limit: number, after: Cursor | undefined, nowMs: number): SessionRow[] {
    const where = sessionWhere(filters, nowMs)
    const column = SORT_COLUMN[sort]
    const direction = order === 'asc' ? 'ASC' : 'DESC'
    if (after !== undefined) where.add(`(${column}, device, cluster) ${order === 'asc' ? '>' : '<'} (?, ?, ?)`, ...after)
    return prepared(`SELECT * FROM inventory_sessions ${where.sql} ORDER BY ${column} ${direction}, device ${direction}, cluster ${direction} LIMIT ?`).all(...where.params, limit) as SessionRow[]
  }

  /**
   * Ended sessions matching `query`, the latest end first, after the keyset `after` ([ended_ms, id]).
   * Each filter is a range of an index in this order (022), so a page stops at its limit; several
   * device pools are one page of each, merged: `IN` over session_history_pool would sort every
   * ended session of those pools first (a year of a pool's is tens of thousands). Each page is the
   * one pool's statement, merged here: one statement per number of pools (a UNION ALL of that many
   * pages, ~200 KB prepared and kept for good) let any viewer fill the server's memory.
   */
  function historyRows (query: SessionHistoryQuery, limit: number, after: CursorValue[] | undefined): HistoryRow[] {
    const page = (pools: string[]): HistoryRow[] => {
      const { sql, params } = historySelect({ ...query, devicePool: pools }, after)
      return prepared(`${sql} LIMIT ?`).all(...params, limit) as HistoryRow[]
    }
    // A pool named twice is one pool: its page would come twice.
    const pools = [...new Set(query.devicePool)]
    if (pools.length < 2) return page(pools)
    return pools.flatMap((pool) => page([pool])).sort((a, b) => b.ended_ms - a.ended_ms || b.id - a.id).slice(0, limit)
  }

  function historySelect (query: SessionHistoryQuery, after: CursorValue[] | undefined): { sql: string, params: unknown[] } {
    const where = new Where()
    if (query.cluster !== undefined) where.add('cluster = ?', query.cluster)
    where.in('device_pool', query.devicePool)
    if (query.model !== undefined) where.add('model = ? COLLATE NOCASE', query.model)
    if (query.exact === true) {
      if (query.user !== undefined) where.add('user_id = ?', query.user)
      if (query.device !== undefined) where.add('device = ?', query.device)
    } else {
      where.prefix('user_id', query.user).prefix('device', query.device)
    }
    if (query.endedBy !== undefined) where.add('ended_by = ?', query.endedBy)
    if (query.auditId !== undefined) where.add('audit_id = ?', query.auditId)
    if (query.from !== undefined) where.add('ended_ms >= ?', Date.parse(query.from))
    if (query.to !== undefined) where.add('ended_ms < ?', Date.parse(query.to))
    if (query.q !== undefined) {
      const pattern = containsPattern(query.q)
      where.add("(device LIKE ? ESCAPE '\\' OR user_id LIKE ? ESCAPE '\\' OR profile LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\')", pattern, pattern, pattern, pattern)
    }
    if (after !== undefined) where.add('(ended_ms, id) < (?, ?)', ...after)
    // A record's sessions (a logout-all's: a few thousand at most) are one range of its index
    // (migration 024); beside a cluster or pool, SQLite took that filter's index instead and walked
    // a year of the cluster's ended sessions for a logout-all of last year.
    const table = query.auditId === undefined ? 'session_history' : 'session_history INDEXED BY session_history_audit'
    return { sql: `SELECT * FROM ${table} ${where.sql} ORDER BY ended_ms DESC, id DESC`, params: where.params }
  }

  return { reads, writes }
}

function ageLabel (hours: number): string {
  return hours % 24 === 0 ? `${hours / 24} d` : `${hours} h`
}
