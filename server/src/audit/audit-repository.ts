import type { AuditAction, AuditFilter, AuditOutcome, AuditPage, AuditRecord, AuditStats, AuditSummary, Trigger } from '@em-console/shared/schemas'
import { goneHere, otherLiveProcess, THIS_PROCESS } from '../processes.js'
import type { Db } from '../store/database.js'
import { statementCache } from '../store/statement-cache.js'
import { localDays } from './local-days.js'

/**
 * The error code of a change that was never sent (its run was cancelled or stopped while it waited
 * for a slot): recorded `interrupted` as every change cut short, but not a failure of anything.
 */
export const NOT_SENT = 'NOT_SENT'

/** What an action left pending by a server that stopped (a crash, a kill) says, once a server starts again. */
const SERVER_STOPPED = 'The server stopped before this action finished; CUCM may or may not have carried it out.'
/** ...and one left by another program on this machine that died meanwhile (an em-console command killed outright). */
const PROGRAM_STOPPED = 'The em-console command that sent it stopped (killed) before this action finished; CUCM may or may not have carried it out.'

export const MAX_RESPONSE_BODY = 64 * 1024
/**
 * A page's total counts at most this many rows: beyond, it says "10,000 or more". Counting is one
 * index range walk per matching row; a common filter over a million rows would cost a page ~100 ms.
 */
const MAX_COUNTED = 10_000

export interface PendingEntry {
  /** When the action began; now by default. */
  startedAt?: Date
  runId?: string
  actor: string
  clientIp?: string
  trigger: Trigger
  action: AuditAction
  devices?: readonly string[]
  userId?: string
  requestXml?: string
  /** The cluster the action concerns (issue #17); none for sign-ins, accounts, settings. */
  cluster?: string
}

export interface FinishedEntry {
  outcome: Exclude<AuditOutcome, 'pending'>
  emapiCode?: number
  errorCode?: string
  message: string
  httpStatus?: number
  requestXml?: string
  responseBody?: string
}

interface AuditRow {
  id: number
  run_id: string | null
  started_at: string
  finished_at: string | null
  duration_ms: number | null
  actor: string
  client_ip: string | null
  trigger: Trigger
  action: AuditAction
  devices: string
  user_id: string | null
  outcome: AuditOutcome
  emapi_code: number | null
  error_code: string | null
  message: string | null
  http_status: number | null
  request_xml?: string | null
  response_body?: string | null
  cluster: string | null
}

const SUMMARY_COLUMNS = ['id', 'run_id', 'started_at', 'finished_at', 'duration_ms', 'actor', 'client_ip', 'trigger', 'action', 'devices', 'user_id', 'outcome', 'emapi_code', 'error_code', 'message', 'http_status', 'cluster']
  .map((c) => `audit.${c}`).join(', ')

function toSummary (row: AuditRow): AuditSummary {
  return {
    id: row.id,
    runId: row.run_id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    actor: row.actor,
    clientIp: row.client_ip,
    trigger: row.trigger,
    action: row.action,
    devices: JSON.parse(row.devices) as string[],
    userId: row.user_id,
    outcome: row.outcome,
    emapiCode: row.emapi_code,
    errorCode: row.error_code,
    message: row.message,
    httpStatus: row.http_status,
    cluster: row.cluster
  }
}

/** A record in full, and whether its run id names a bulk run (a row of `runs`) rather than only grouping records. */
interface AuditRecordRow extends AuditRow {
  bulk_run: 0 | 1
}

function toRecord (row: AuditRecordRow): AuditRecord {
  return { ...toSummary(row), requestXml: row.request_xml ?? null, responseBody: row.response_body ?? null, bulkRun: row.bulk_run === 1 }
}

/** `abc` → `abc%` for a prefix LIKE, with LIKE's own wildcards taken literally. */
function prefixPattern (text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c) + '%'
}

/**
 * Each word of free text becomes a quoted FTS5 phrase, so no input is read as FTS syntax. Whole
 * words, not prefixes: a prefix makes FTS5 merge every matching term before it can stop at a
 * page (tens of milliseconds for a common word at a million rows); device and user filters
 * cover partial names.
 */
function ftsQuery (text: string): string | undefined {
  // Control characters split words too: FTS5 reads a NUL inside a phrase as its end.
  const terms = text.split(/[\s\p{Cc}]+/u).filter((t) => /[\p{L}\p{N}]/u.test(t)).map((t) => `"${t.replace(/"/g, '""')}"`)
  return terms.length === 0 ? undefined : terms.join(' ')
}

function encodeCursor (id: number): string {
  return Buffer.from(String(id)).toString('base64url')
}

export function decodeCursor (cursor: string): number | undefined {
  const id = Number(Buffer.from(cursor, 'base64url').toString())
  return Number.isSafeInteger(id) && id > 0 ? id : undefined
}

/** What CUCM's latest telling answer to a login or logout of a device said of Extension Mobility on it. */
export interface EmFact {
  emEnabled: boolean
  /** The EMAPI code of that answer (22 or 5 when disabled), null for a success. */
  emapiCode: number | null
  at: string
}

/** The actions that concern a cluster: Extension Mobility's work (sign-ins, accounts and settings concern none). */
export const CLUSTER_ACTIONS: readonly AuditAction[] = ['logout-all', 'logout', 'login', 'device-query', 'user-devices-query', 'device-profile-query', 'bulk-run', 'schedule-missed']
/** Those in SQL, for the activity card's failures (see `stats`). */
const EM_ACTIVITY = CLUSTER_ACTIONS.map((action) => `'${action}'`).join(', ')
/** A failure the activity card counts (why each part: see `stats`); History's `failed` filter is the same test. */
const FAILED = `(audit.action IN (${EM_ACTIVITY}) AND NOT (audit.action = 'bulk-run' AND audit.error_code IS 'RUN_FAILED')
  AND ((audit.outcome IN ('failure', 'error') AND NOT (audit.action LIKE '%-query' AND coalesce(audit.emapi_code, 0) IN (11, 23)))
    OR audit.outcome = 'unknown' OR (audit.outcome = 'interrupted' AND audit.error_code IS NOT '${NOT_SENT}' AND audit.action NOT LIKE '%-query')))`

/** EMAPI codes that say Extension Mobility is disabled on the device (PROTOCOL.md §6). */
const EM_DISABLED_CODES = [22, 5] as const

export type AuditRepository = ReturnType<typeof createAuditRepository>

/** Whose actions `stats` counts, and by which days. */
export interface StatsScope {
  /** One cluster's; every cluster's without. */
  cluster?: string
  /** Where today begins (an ISO instant), when not at the start of the zone's today. */
  todayFrom?: string
  /** The IANA zone whose days are counted, checked by the caller; UTC without. */
  timezone?: string
}

/** A pending row, by whom and when it was written (whether its writer still runs). */
interface PendingRow { id: number, owner: string | null, startedAt: string }

/** One span's counts for the activity card (`stats`); a sum over no rows is null. */
interface DayCounts { success: number, failure: number, lookups: number, logouts: number, logoutAlls: number, already: number }

/**
 * The records of a user (a prefix of the ID), for the filter and its count alike. A logout of all
 * users names nobody: where the inventory saw it end a user's session, it is theirs too ("who
 * logged X out?" is answered here, not only on the user's session history). Two forms, chosen by
 * how many records and ended sessions the prefix matches (`userForm`): a few are collected first
 * (OF_FEW_USERS: each side read from its index, then the page in id order, ~1 ms), many are tested
 * row by row (OF_MANY_USERS: the page walks audit rows newest first and stops at its limit, each
 * test one range of session_history_audit, migration 024). Collected, the prefix "u" read every
 * ended session of every matching user: 27 s on a year's database; tested, an exact user walks
 * every record: ~100 ms a year.
 */
const USER_RECORDS = `SELECT id FROM audit WHERE user_id LIKE ? ESCAPE '\\'
  UNION SELECT audit_id FROM session_history WHERE user_id LIKE ? ESCAPE '\\' AND audit_id IS NOT NULL`
const OF_FEW_USERS = `audit.id IN (${USER_RECORDS})`
const OF_MANY_USERS = `(audit.user_id LIKE ? ESCAPE '\\'
  OR EXISTS (SELECT 1 FROM session_history sh WHERE sh.audit_id = audit.id AND sh.user_id LIKE ? ESCAPE '\\'))`
/** Matching records and ended sessions a user's prefix is collected at, at least (see `userRowsCollected`). */
export const USER_ROWS_COLLECTED = 2000

/**
 * Up to how many matching records and ended sessions a user's prefix is collected, in a trail of
 * `records`: tested row by row, a page walks records until its limit and its count until
 * MAX_COUNTED (every record, when fewer match), about as costly a row as collecting is a match
 * (~0.35 µs each, measured on a million records). Collecting M costs ~2 M; testing costs the whole
 * trail while M < MAX_COUNTED, else records × MAX_COUNTED / M: the two meet at half the trail, or
 * at the square root of records × MAX_COUNTED / 2 (~70,000 of a million records). A fixed 2,000
 * tested a user of 7,000 records row by row, walking the whole trail for the count: p95 110 ms
 * instead of ~2.5 ms (bench:audit, p3-audit-page-user).
 */
export function userRowsCollected (records: number): number {
  const meet = records < 2 * MAX_COUNTED ? records / 2 : Math.sqrt(records * MAX_COUNTED / 2)
  return Math.max(USER_ROWS_COLLECTED, Math.ceil(meet))
}
const userParams = (user: string): string[] => [prefixPattern(user), prefixPattern(user)]

/**
 * The records of a device (a prefix of its name), for the filter and its count alike. A logout of
 * all users names no device: where the inventory saw it end a session on the device, it is the
 * device's too ("who logged SEP001122334455 out?"), as it is the user's (USER_RECORDS). The same
 * two forms, chosen by how many match (`deviceForm`): a few are collected first (OF_FEW_DEVICES);
 * many are tested row by row (OF_MANY_DEVICES: each record's own devices, and a logout-all's
 * ended sessions through session_history_audit; any other record that ended a session names its
 * device itself). Collected, "SEP" gathered every device record of the trail before its page
 * (3.6 s on a million records). Rows of audit_devices per ended session (027, reverted) cost
 * 96 MB and a 49 s backfill a year, and a prefix 1-2 s a page.
 */
const DEVICE_RECORDS = `SELECT audit_id FROM audit_devices WHERE device LIKE ? ESCAPE '\\'
  UNION ALL SELECT audit_id FROM session_history WHERE device LIKE ? ESCAPE '\\' AND audit_id IS NOT NULL`
const OF_FEW_DEVICES = `audit.id IN (${DEVICE_RECORDS})`
const OF_MANY_DEVICES = `(EXISTS (SELECT 1 FROM json_each(audit.devices) WHERE value LIKE ? ESCAPE '\\')
  OR (audit.action = 'logout-all' AND EXISTS (SELECT 1 FROM session_history sh WHERE sh.audit_id = audit.id AND sh.device LIKE ? ESCAPE '\\')))`
const deviceParams = (device: string): string[] => [prefixPattern(device), prefixPattern(device)]

/**
 * Up to how many matching device records and ended sessions a device's prefix is collected: twice
 * a user's (`userRowsCollected`), as a record tested reads its row's devices (~0.85 µs, a user's
 * test ~0.35). On a million records, page and count: 'SEP0' (82,000 matches) and 'CSF' (105,000)
 * 54 and 46 ms collected, 84 and 80 ms tested; 'SEP' (1.6 million) 3.6 s collected, ~15 ms tested.
 */
export function deviceRowsCollected (records: number): number {
  return 2 * userRowsCollected(records)
}

/** The forms of a filter's user and device (none without them): chosen once per page or export, not per statement. */
interface FilterForms { user?: string, device?: string }

export function createAuditRepository (db: Db, now: () => Date = () => new Date()) {
  // A pending row names its process: a server starting beside a CLI command leaves the command's alone.
  const insert = db.prepare(`INSERT INTO audit (run_id, started_at, actor, client_ip, trigger, action, devices, user_id, outcome, request_xml, cluster, owner)
    VALUES (@runId, @startedAt, @actor, @clientIp, @trigger, @action, @devices, @userId, 'pending', @requestXml, @cluster, @owner)`)
  // A record that is finished when it is first written: one row write, indexed once.
  const insertFinished = db.prepare(`INSERT INTO audit (run_id, started_at, finished_at, duration_ms, actor, client_ip, trigger, action, devices, user_id,
      outcome, emapi_code, error_code, message, http_status, request_xml, response_body, cluster)
    VALUES (@runId, @startedAt, @finishedAt, CAST(round((julianday(@finishedAt) - julianday(@startedAt)) * 86400000) AS INTEGER), @actor, @clientIp, @trigger, @action, @devices, @userId,
      @outcome, @emapiCode, @errorCode, @message, @httpStatus, @requestXml, @responseBody, @cluster)`)
  const insertDevice = db.prepare('INSERT OR IGNORE INTO audit_devices (device, audit_id) VALUES (?, ?)')
  const finishRow = db.prepare(`UPDATE audit SET finished_at = @finishedAt,
      duration_ms = CAST(round((julianday(@finishedAt) - julianday(started_at)) * 86400000) AS INTEGER),
      outcome = @outcome, emapi_code = @emapiCode, error_code = @errorCode, message = @message, http_status = @httpStatus,
      request_xml = coalesce(@requestXml, request_xml), response_body = @responseBody
    WHERE id = @id AND outcome IN ('pending', 'interrupted')`)
  const pendingRows = db.prepare("SELECT id, owner, started_at AS startedAt FROM audit WHERE outcome = 'pending'")
  const interrupt = db.prepare(`UPDATE audit SET outcome = 'interrupted', finished_at = ?, message = ?
    WHERE id = ? AND outcome = 'pending'`)
  const byId = db.prepare('SELECT audit.*, EXISTS (SELECT 1 FROM runs WHERE runs.id = audit.run_id) AS bulk_run FROM audit WHERE id = ?')
  // Per cluster: a logout-all on one cluster does not hold back another's (issue #17). One that
  // names no cluster (written before clusters existed) may concern any, so it holds back all.
  // One statement, so one snapshot: the version and the last row are read together.
  const changesMark = db.prepare('SELECT (SELECT data_version FROM pragma_data_version) AS version, (SELECT coalesce(max(id), 0) FROM audit) AS lastId')
  // A run's summary (bulk-run) is its end; one of several clusters names none.
  const changesIn = db.prepare("SELECT id, cluster, outcome = 'pending' AS pending, action = 'bulk-run' AS runEnd FROM audit WHERE id > ? AND id <= ? AND ((action IN ('logout', 'login', 'logout-all') AND cluster IS NOT NULL) OR action = 'bulk-run')")
  const finishedAmong = db.prepare("SELECT id, cluster FROM audit WHERE id IN (SELECT value FROM json_each(?)) AND outcome != 'pending'")
  const pendingOf = db.prepare('SELECT id, owner, started_at AS startedAt FROM audit WHERE action = ? AND (cluster IS ? OR cluster IS NULL) AND outcome = \'pending\' AND started_at > ? ORDER BY id DESC')
  const assignCluster = db.prepare('UPDATE audit SET cluster = ? WHERE id >= ? AND id < ? AND cluster IS NULL AND action IN (SELECT value FROM json_each(?))')
  // The record begun first at or after an instant, and until when it may have been written: by its
  // end (a look-up's is written finished, once CUCM answered), by now while it is pending.
  const firstStartedFrom = db.prepare('SELECT started_at AS startedAt, max(started_at, coalesce(finished_at, ?)) AS writtenBy FROM audit WHERE started_at >= ? ORDER BY started_at, id LIMIT 1')
  const firstIdStartedIn = db.prepare('SELECT min(id) FROM audit WHERE started_at >= ? AND started_at <= ?').pluck()
  // A success or "nobody logged in" (19) says EM works on the device, 22 or 5 that it is disabled;
  // other failures (busy, unknown user...) say nothing of it. Served by audit_device_changes (008).
  const latestEmFact = db.prepare(`SELECT outcome, emapi_code AS emapiCode, coalesce(finished_at, started_at) AS at FROM audit
    WHERE action IN ('login', 'logout') AND json_extract(devices, '$[0]') = ? COLLATE NOCASE AND cluster = ?
      AND (outcome IN ('success', 'already-logged-out') OR (outcome = 'failure' AND emapi_code IN (${EM_DISABLED_CODES.join(', ')})))
    ORDER BY id DESC LIMIT 1`)
  // GLOB with a literal start walks the audit_run index (the caller passes hex digits and dashes only).
  const runIdsFrom = db.prepare('SELECT DISTINCT run_id FROM audit WHERE run_id IS NOT NULL AND run_id GLOB ? ORDER BY run_id LIMIT ?').pluck()
  // How many records and ended sessions a user's prefix matches, each counted up to the bound.
  const userMatches = db.prepare(`SELECT (SELECT count(*) FROM (SELECT 1 FROM audit WHERE user_id LIKE @prefix ESCAPE '\\' LIMIT @bound))
    + (SELECT count(*) FROM (SELECT 1 FROM session_history WHERE user_id LIKE @prefix ESCAPE '\\' AND audit_id IS NOT NULL LIMIT @bound))`).pluck()
  const records = db.prepare('SELECT coalesce(max(id), 0) FROM audit').pluck()
  const userForm = (user: string): string => {
    const bound = userRowsCollected(records.get() as number)
    return (userMatches.get({ prefix: prefixPattern(user), bound }) as number) >= bound ? OF_MANY_USERS : OF_FEW_USERS
  }
  // ...and a device's, up to the bound in all: every ended session of the prefix, a logout's or
  // not, is read when collected.
  const deviceMatches = db.prepare(`SELECT count(*) FROM (SELECT 1 FROM audit_devices WHERE device LIKE @prefix ESCAPE '\\'
    UNION ALL SELECT 1 FROM session_history WHERE device LIKE @prefix ESCAPE '\\' LIMIT @bound)`).pluck()
  const deviceForm = (device: string): string => {
    const bound = deviceRowsCollected(records.get() as number)
    return (deviceMatches.get({ prefix: prefixPattern(device), bound }) as number) >= bound ? OF_MANY_DEVICES : OF_FEW_DEVICES
  }
  const formsOf = (filter: AuditFilter): FilterForms => ({
    user: filter.user === undefined ? undefined : userForm(filter.user),
    device: filter.device === undefined ? undefined : deviceForm(filter.device)
  })

  const lastStartedBy = db.prepare('SELECT started_at FROM audit WHERE actor = ? ORDER BY id DESC LIMIT 1').pluck()
  const lastLogoutAll = db.prepare("SELECT finished_at AS at FROM audit WHERE action = 'logout-all' AND cluster = ? AND outcome IN ('success', 'already-logged-out') ORDER BY id DESC LIMIT 1").pluck()
  // The last login or logout of a device on a cluster that CUCM carried out (served by audit_device_changes too).
  const lastChange = db.prepare(`SELECT action, user_id AS userId, coalesce(finished_at, started_at) AS at FROM audit
    WHERE action IN ('login', 'logout') AND json_extract(devices, '$[0]') = ? COLLATE NOCASE AND cluster = ? AND outcome = 'success'
    ORDER BY id DESC LIMIT 1`)
  // When the latest change on a cluster started since a time ended, or started if it has not ended (audit_cluster_changes, 025).
  const lastChangeOn = db.prepare(`SELECT max(coalesce(finished_at, started_at)) FROM audit
    WHERE action IN ('login', 'logout', 'logout-all') AND cluster = ? AND started_at >= ?`).pluck()
  // History's pages: their statement varies with the filters set.
  const { prepared } = statementCache(db)

  function pendingParams (entry: PendingEntry): Record<string, unknown> {
    return {
      runId: entry.runId ?? null,
      startedAt: (entry.startedAt ?? now()).toISOString(),
      actor: entry.actor,
      clientIp: entry.clientIp ?? null,
      trigger: entry.trigger,
      action: entry.action,
      devices: JSON.stringify(entry.devices ?? []),
      userId: entry.userId ?? null,
      requestXml: entry.requestXml ?? null,
      cluster: entry.cluster ?? null
    }
  }

  function finishedParams (entry: FinishedEntry, finishedAt: string): Record<string, unknown> {
    return {
      finishedAt,
      outcome: entry.outcome,
      emapiCode: entry.emapiCode ?? null,
      errorCode: entry.errorCode ?? null,
      message: entry.message,
      httpStatus: entry.httpStatus ?? null,
      requestXml: entry.requestXml ?? null,
      responseBody: entry.responseBody === undefined ? null : entry.responseBody.slice(0, MAX_RESPONSE_BODY)
    }
  }

  /** Writes the row and its device index (the store commits both in one transaction); returns the row's id. */
  function insertRow (statement: typeof insert, params: Record<string, unknown>, devices: readonly string[]): number {
    const id = Number(statement.run(params).lastInsertRowid)
    for (const device of devices) insertDevice.run(device, id)
    return id
  }

  function insertPending (entry: PendingEntry): number {
    return insertRow(insert, { ...pendingParams(entry), owner: THIS_PROCESS }, entry.devices ?? [])
  }

  /** A record written finished, as one row (look-ups, sign-ins, refusals: nothing was pending). */
  function record (entry: PendingEntry, result: FinishedEntry, finishedAt = now().toISOString()): number {
    // The exchange's request XML (password masked) wins over the entry's, as finishing does.
    const params = { ...pendingParams(entry), ...finishedParams(result, finishedAt), requestXml: result.requestXml ?? entry.requestXml ?? null }
    return insertRow(insertFinished, params, entry.devices ?? [])
  }

  /**
   * Records how an action ended. The row was written `pending` before the EMAPI call, so a crash
   * in between leaves it pending, and the next start marks it interrupted. A row a server marked
   * interrupted while its process still ran (on another machine) gets its real end.
   */
  function finish (id: number, entry: FinishedEntry): void {
    finishRow.run({ id, ...finishedParams(entry, now().toISOString()) })
  }

  /**
   * Builds the WHERE clause of a filter. Dates become id bounds: rows are inserted with the
   * current time, so started_at grows with id (but for a look-up's, written once answered: see
   * `idFrom`) and every (column, id) index can serve a range.
   * `forms`: the user and device filters' forms (formsOf), chosen once by the page or export that asks.
   */
  function where (filter: AuditFilter, beforeId: number | undefined, forms: FilterForms): { sql: string, params: unknown[] } {
    const clauses: string[] = []
    const params: unknown[] = []
    const add = (sql: string, ...values: unknown[]): void => { clauses.push(sql); params.push(...values) }
    if (filter.action !== undefined) add('audit.action = ?', filter.action)
    if (filter.outcome !== undefined) add('audit.outcome = ?', filter.outcome)
    if (filter.trigger !== undefined) add('audit.trigger = ?', filter.trigger)
    if (filter.failed === true) add(FAILED)
    if (filter.runId !== undefined) add('audit.run_id = ?', filter.runId)
    if (filter.cluster !== undefined) add('audit.cluster = ?', filter.cluster)
    if (filter.actor !== undefined) add("audit.actor LIKE ? ESCAPE '\\'", prefixPattern(filter.actor))
    if (filter.user !== undefined && forms.user !== undefined) add(forms.user, ...userParams(filter.user))
    if (filter.device !== undefined && forms.device !== undefined) add(forms.device, ...deviceParams(filter.device))
    const text = filter.q === undefined ? undefined : ftsQuery(filter.q)
    if (text !== undefined) add('audit_text MATCH ?', text)
    // Text without a word (punctuation, symbols, an emoji) is no whole word a record holds: it
    // matches none, not every record as if the search had not been asked. Blank text is no search.
    else if (filter.q !== undefined && filter.q.trim() !== '') add('0')
    if (filter.from !== undefined) add('audit.id >= ?', idFrom(filter.from))
    if (filter.to !== undefined) add('audit.id < ?', idFrom(filter.to))
    if (beforeId !== undefined) add('audit.id < ?', beforeId)
    return { sql: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params }
  }

  /**
   * The lowest id of the records begun at or after an instant (one past the last id when none
   * is). Not the id of the one begun first: a look-up's record is written once CUCM answers, with
   * the time it began, so a logout sent meanwhile has a lower id and began later. Such a record
   * was written before the first one was, so it began between that one's start and its writing.
   */
  function idFrom (instant: string | number): number {
    const first = firstStartedFrom.get(now().toISOString(), new Date(instant).toISOString()) as { startedAt: string, writtenBy: string } | undefined
    if (first === undefined) return Number.MAX_SAFE_INTEGER
    return firstIdStartedIn.get(first.startedAt, first.writtenBy) as number
  }

  /**
   * With free text the full-text index drives the query: FTS5 walks its matches newest first and
   * stops at the limit, where `id IN (matches)` would collect every match of a common word first.
   */
  function rows (filter: AuditFilter, limit: number, beforeId: number | undefined, columns: string, forms: FilterForms): AuditRow[] {
    const { sql, params } = where(filter, beforeId, forms)
    const from = filter.q !== undefined && ftsQuery(filter.q) !== undefined
      ? `audit_text JOIN audit ON audit.id = audit_text.rowid ${sql} ORDER BY audit_text.rowid DESC`
      : `audit ${sql} ORDER BY id DESC`
    return prepared(`SELECT ${columns} FROM ${from} LIMIT ?`).all([...params, limit]) as AuditRow[]
  }

  /**
   * How many rows match, counted up to `cap` (one more tells that there are more), in no order.
   * A filter of free text, or a device or a user of few records alone, is counted in its own
   * indexes, without visiting the rows (a device's rows through the table cost ~10 µs each); any
   * other filter walks the rows (a user's or a device's many too: see OF_FEW_USERS, OF_FEW_DEVICES).
   */
  function count (filter: AuditFilter, cap: number, forms: FilterForms): { total: number, totalIsLowerBound: boolean } {
    const given = Object.entries(filter).filter(([, value]) => value !== undefined).map(([key]) => key)
    const text = filter.q === undefined ? undefined : ftsQuery(filter.q)
    const alone = given.length === 1 ? given[0] : undefined
    let inner: { sql: string, params: unknown[] }
    if (alone === 'q' && text !== undefined) inner = { sql: 'SELECT 1 FROM audit_text WHERE audit_text MATCH ?', params: [text] }
    else if (alone === 'device' && filter.device !== undefined && forms.device === OF_FEW_DEVICES) inner = { sql: `SELECT DISTINCT audit_id FROM (${DEVICE_RECORDS})`, params: deviceParams(filter.device) }
    // A user's few records, counted as collected, without reading each record (7,000: 12 ms to ~2).
    else if (alone === 'user' && filter.user !== undefined && forms.user === OF_FEW_USERS) inner = { sql: USER_RECORDS, params: userParams(filter.user) }
    else {
      const { sql, params } = where(filter, undefined, forms)
      inner = { sql: `SELECT 1 FROM ${text === undefined ? 'audit' : 'audit_text JOIN audit ON audit.id = audit_text.rowid'} ${sql}`, params }
    }
    const { n } = prepared(`SELECT count(*) AS n FROM (${inner.sql} LIMIT ?)`).get([...inner.params, cap + 1]) as { n: number }
    return n > cap ? { total: cap, totalIsLowerBound: true } : { total: n, totalIsLowerBound: false }
  }

  const writes = {
    insertPending,
    finish,
    /** A record written finished, in one go: look-ups, sign-ins, refusals (nothing was pending). */
    record,

    /** At a server's start: what a process that is gone left pending becomes `interrupted` (not a CLI command's live work). Returns how many. */
    markInterrupted (): number {
      const at = now().toISOString()
      const left = (pendingRows.all() as PendingRow[]).filter((row) => !otherLiveProcess(row.owner, row.startedAt))
      return left.reduce((changed, row) => changed + interrupt.run(at, SERVER_STOPPED, row.id).changes, 0)
    },

    /** While a server runs: rows `pendingOfGone` named become `interrupted`, saying that the program that sent them stopped. Returns how many. */
    markGoneInterrupted (ids: readonly number[]): number {
      const at = now().toISOString()
      return ids.reduce((changed, id) => changed + interrupt.run(at, PROGRAM_STOPPED, id).changes, 0)
    },

    /**
     * Inserts a pending row unless one of the same action, younger than maxAgeMs, is already
     * pending (in any process but one of this machine that is gone: killed mid-way, it will never
     * end it): the store runs every write in an IMMEDIATE transaction.
     */
    insertPendingIfIdle (entry: PendingEntry, maxAgeMs: number): { id: number } | { runningId: number } {
      const since = new Date(now().getTime() - maxAgeMs).toISOString()
      const running = (pendingOf.all(entry.action, entry.cluster ?? null, since) as PendingRow[]).find((row) => !goneHere(row.owner, row.startedAt))
      return running === undefined ? { id: insertPending(entry) } : { runningId: running.id }
    },

    /**
     * Names the cluster of rows written before there were several (migration 010): those of
     * `actions` with ids in [fromId, toId) and no cluster yet. Returns how many changed.
     */
    assignCluster (cluster: string, fromId: number, toId: number, actions: readonly string[]): number {
      return assignCluster.run(cluster, fromId, toId, JSON.stringify(actions)).changes
    }
  }

  const reads = {
    /** Pending rows of a process of this machine that is gone (a CLI command killed outright): nothing will ever end them. */
    pendingOfGone (): number[] {
      return (pendingRows.all() as PendingRow[]).filter((row) => goneHere(row.owner, row.startedAt)).map((row) => row.id)
    },

    /**
     * Where the audit trail stands: SQLite's data_version (it moves when another connection, a CLI
     * command, commits) and the last record's id.
     */
    changesMark (): { version: number, lastId: number } {
      return changesMark.get() as { version: number, lastId: number }
    },

    /** The run ids that begin with `start` (hex digits and dashes), up to `limit` of them, in order. */
    runIdsStartingWith (start: string, limit: number): string[] {
      return runIdsFrom.all(`${start}*`, limit) as string[]
    },

    /** When the latest record of `actor` began (a schedule's run that a crash cut short has one). */
    lastStartedBy (actor: string): string | undefined {
      return lastStartedBy.get(actor) as string | undefined
    },

    /** The logins and logouts recorded with ids in (afterId, upToId], whether each is still pending, and the runs that ended (their summaries). */
    changesIn (afterId: number, upToId: number): Array<{ id: number, cluster: string | null, pending: boolean, runEnd: boolean }> {
      return (changesIn.all(afterId, upToId) as Array<{ id: number, cluster: string | null, pending: number, runEnd: number }>).map((row) => ({ ...row, pending: row.pending === 1, runEnd: row.runEnd === 1 }))
    },

    /** Of the records `ids`, those finished by now, with their clusters. */
    finishedAmong (ids: readonly number[]): Array<{ id: number, cluster: string }> {
      return finishedAmong.all(JSON.stringify(ids)) as Array<{ id: number, cluster: string }>
    },

    get (id: number): AuditRecord | undefined {
      const row = byId.get(id) as AuditRecordRow | undefined
      return row === undefined ? undefined : toRecord(row)
    },

    /** A page of the filter, and how many rows the filter matches in all (up to MAX_COUNTED). */
    page (filter: AuditFilter, limit: number, cursor?: string): AuditPage {
      const beforeId = cursor === undefined ? undefined : decodeCursor(cursor)
      // The user's and device's forms are chosen once (a count of their matches), for the page and its count.
      const forms = formsOf(filter)
      const found = rows(filter, limit + 1, beforeId, SUMMARY_COLUMNS, forms)
      const items = found.slice(0, limit).map(toSummary)
      const last = items.at(-1)
      // A first page that holds every match has counted them already: no second walk.
      const total = beforeId === undefined && found.length <= limit ? { total: found.length, totalIsLowerBound: false } : count(filter, MAX_COUNTED, forms)
      return { items, nextCursor: found.length > limit && last !== undefined ? encodeCursor(last.id) : null, ...total }
    },

    /**
     * Every matching record without its XML, newest first, read in batches so no query stays open
     * between them (the export of a million rows then holds one batch at a time).
     */
    * iterate (filter: AuditFilter, batchSize = 1000): Generator<AuditSummary[]> {
      let beforeId: number | undefined
      const forms = formsOf(filter)
      for (;;) {
        const batch = rows(filter, batchSize, beforeId, SUMMARY_COLUMNS, forms)
        if (batch.length === 0) return
        // Before the yield: the rows are not kept while the caller waits (routes/csv-export.ts).
        beforeId = batch.at(-1)?.id
        yield batch.map(toSummary)
      }
    },

    /** Per device of `cluster` (by lower-case name), what the latest telling login or logout answer there said of EM; absent when none did. */
    emFacts (devices: readonly string[], cluster: string): Map<string, EmFact> {
      const facts = new Map<string, EmFact>()
      for (const device of devices) {
        const row = latestEmFact.get(device, cluster) as { outcome: AuditOutcome, emapiCode: number | null, at: string } | undefined
        if (row !== undefined) facts.set(device.toLowerCase(), { emEnabled: row.outcome !== 'failure', emapiCode: row.emapiCode, at: row.at })
      }
      return facts
    },

    /** When the last logout-all of `cluster` that CUCM carried out ended. */
    lastLogoutAll (cluster: string): string | undefined {
      return lastLogoutAll.get(cluster) as string | undefined
    },

    /** The last login or logout of `device` on `cluster` that CUCM carried out, as this audit trail has it. */
    lastChange (device: string, cluster: string): { action: 'login' | 'logout', userId: string | null, at: string } | undefined {
      return lastChange.get(device, cluster) as { action: 'login' | 'logout', userId: string | null, at: string } | undefined
    },

    /**
     * When the latest login, logout or logout-all of `cluster` started since `since` ended (or
     * started, while it runs), whatever CUCM answered: undefined when none started since.
     */
    lastChangeOn (cluster: string, since: string): string | undefined {
      return (lastChangeOn.get(cluster, since) as string | null) ?? undefined
    },

    /**
     * A logout counts when it ended a login (outcome success), a logout of all users once however
     * many clusters it ended (their records share its run id); one that found nobody logged in
     * (code 19, `already-logged-out`) changed nothing and is counted apart, never as a logout.
     * Failures are those of Extension Mobility's work (logins, logouts, look-ups, a scheduled run
     * missed, a run that could not start), not of sign-ins or settings, which the activity card is
     * not about (History has them all); a run's summary of its failed items is not counted again.
     * A look-up CUCM answered "device does not exist" (11) or "user does not exist" (23) is its
     * answer about a name asked, not a failure to count (one mistyped name costs several such
     * records while a query of many is halved down to it); its record says so. One without an
     * EMAPI code (no answer, an HTTP error page) is a failure: coalesce, as NOT of a NULL code was NULL, never counted.
     * A change cut short by a stop may have happened, and counts; a look-up cut short changed nothing and CUCM did not fail it.
     */
    stats (days: number, { cluster, todayFrom, timezone = 'UTC' }: StatsScope = {}): AuditStats {
      // A logout of all users of several clusters is one record per cluster under one run id: one action of the admin's.
      const logoutAlls = 'count(DISTINCT CASE WHEN action = \'logout-all\' AND outcome = \'success\' THEN coalesce(run_id, id) END)'
      const columns = `sum(action IN ('logout', 'login') AND outcome = 'success') + ${logoutAlls} AS success,
          sum(${FAILED}) AS failure,
          sum(action LIKE '%-query' AND outcome = 'success') AS lookups,
          sum(action = 'logout' AND outcome = 'success') + ${logoutAlls} AS logouts,
          ${logoutAlls} AS logoutAlls,
          sum(action = 'logout' AND outcome = 'already-logged-out') AS already`
      const ofCluster = cluster === undefined ? '' : ' AND cluster = ?'
      const clusterParams = cluster === undefined ? [] : [cluster]
      // The days of the caller's zone (the browser's, as History's days are), each a range of ids
      // (started_at grows with id: see `where`) whose ends audit_started finds.
      const local = localDays(days, timezone, now())
      const inRange = prepared(`SELECT ${columns} FROM audit WHERE id >= ? AND id < ?${ofCluster}`)
      const perDay = local.map((day) => ({ date: day.date, ...inRange.get([idFrom(day.from), idFrom(day.to), ...clusterParams]) as Partial<DayCounts> }))
      const list = perDay.map((d) => ({ date: d.date, success: d.success ?? 0, failure: d.failure ?? 0, lookups: d.lookups ?? 0 }))
      // `todayFrom`, a caller's own midnight (the dashboard's before it gave its zone), counts on
      // to now; never before the first day: the rows read stay those of the chart.
      const first = local[0]?.from ?? 0
      const t = todayFrom === undefined ? perDay.at(-1) : prepared(`SELECT ${columns} FROM audit WHERE id >= ?${ofCluster}`).get([idFrom(Math.max(Date.parse(todayFrom), first)), ...clusterParams]) as Partial<DayCounts>
      return { days: list, today: { logouts: t?.logouts ?? 0, logoutAlls: t?.logoutAlls ?? 0, alreadyLoggedOut: t?.already ?? 0, failures: t?.failure ?? 0, lookups: t?.lookups ?? 0 } }
    }
  }

  return { reads, writes }
}
