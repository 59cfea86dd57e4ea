import { RETRY_FAILED_OUTCOMES } from '@em-console/shared/rules'
import type { RetryScope, RunAction, RunItem, RunItemOutcome, RunItemsPage, RunRetry, RunState, RunSummary, Trigger } from '@em-console/shared/schemas'
import type { Db } from '../store/database.js'
import { runTitle, type RunWords } from './run-words.js'
import { NOT_SENT } from '../audit/audit-repository.js'
import { goneHere, otherLiveProcess, THIS_PROCESS } from '../processes.js'

interface RunRow {
  id: string
  action: RunAction
  state: RunState
  trigger: Trigger
  actor: string
  parent_run_id: string | null
  verify_after_ms: number | null
  created_at: string
  started_at: string | null
  finished_at: string | null
  verified_at: string | null
  verify_error: string | null
  selection: string | null
  summary_title: string | null
  summary_note: string | null
  summary_cluster: string | null
  client_ip: string | null
  cluster_scope: string | null
}

/** An unfinished run, by whom and when it was made (whether its writer still runs). */
interface UnfinishedRow { id: string, owner: string | null, createdAt: string }

interface ItemRow {
  seq: number
  device: string
  cluster: string | null
  user_id: string | null
  profile: string | null
  duration_minutes: number | null
  indefinite: number
  outcome: RunItemOutcome
  emapi_code: number | null
  message: string | null
  audit_id: number | null
  finished_at: string | null
  verified: number | null
}

export interface NewItem {
  device: string
  userId: string | null
  /** The cluster, when known before the look-up (a user's device, a session, a retry). */
  cluster?: string | null
  profile?: string
  durationMinutes?: number
  indefinite?: true
  outcome: RunItemOutcome
  message?: string
}

export interface ItemResult {
  outcome: RunItemOutcome
  emapiCode?: number
  message: string
  auditId?: number
}

const toItem = (row: ItemRow): RunItem => ({
  seq: row.seq,
  device: row.device,
  cluster: row.cluster,
  userId: row.user_id,
  profile: row.profile,
  durationMinutes: row.duration_minutes,
  ...(row.indefinite === 1 ? { indefinite: true as const } : {}),
  outcome: row.outcome,
  emapiCode: row.emapi_code,
  message: row.message,
  auditId: row.audit_id,
  finishedAt: row.finished_at,
  verified: row.verified === null ? null : row.verified === 1
})

export type RunRepository = ReturnType<typeof createRunRepository>

export function createRunRepository (db: Db, now: () => Date = () => new Date()) {
  const insertRun = db.prepare(`INSERT INTO runs (id, action, state, trigger, actor, parent_run_id, retry_scope, verify_after_ms, created_at, owner, selection, summary_title, summary_note, summary_cluster, client_ip, cluster_scope)
    VALUES (@id, @action, 'previewing', @trigger, @actor, @parentRunId, @retryScope, @verifyAfterMs, @now, @owner, @selection, @title, @note, @cluster, @clientIp, @clusters)`)
  const insertItem = db.prepare(`INSERT INTO run_items (run_id, seq, device, cluster, user_id, profile, duration_minutes, indefinite, outcome, message, finished_at)
    VALUES (@runId, @seq, @device, @cluster, @userId, @profile, @durationMinutes, @indefinite, @outcome, @message, @finishedAt)`)
  const setState = db.prepare(`UPDATE runs SET state = @state,
      started_at = CASE WHEN @state = 'running' THEN @now ELSE started_at END,
      finished_at = CASE WHEN @state IN ('done', 'cancelled', 'interrupted') THEN @now ELSE finished_at END
    WHERE id = @id`)
  const finishItem = db.prepare(`UPDATE run_items SET outcome = @outcome, emapi_code = @emapiCode, message = @message, audit_id = @auditId, finished_at = @now
    WHERE run_id = @runId AND seq = @seq`)
  const previewItem = db.prepare(`UPDATE run_items SET user_id = @userId, cluster = @cluster, outcome = @outcome, message = @message, finished_at = @finishedAt
    WHERE run_id = @runId AND seq = @seq AND outcome = 'pending'`)
  /** The run's latest audit row of a change to the item's device, with `outcome` (an SQL condition on audit). */
  const itemRow = (outcome: string): string => `SELECT audit.id FROM audit JOIN audit_devices ON audit_devices.audit_id = audit.id
    WHERE audit.run_id = run_items.run_id AND audit_devices.device = run_items.device AND (run_items.cluster IS NULL OR audit.cluster = run_items.cluster)
      AND audit.action IN ('login', 'logout') AND ${outcome} ORDER BY audit.id DESC LIMIT 1`
  // An item that never had its turn links the record that says it was not sent, when it has one
  // (written while it waited for a slot to CUCM).
  const endPending = db.prepare(`UPDATE run_items SET outcome = ?, message = ?, finished_at = ?, audit_id = coalesce(audit_id, (${itemRow(`audit.error_code = '${NOT_SENT}'`)}))
    WHERE run_id = ? AND outcome = 'pending'`)
  // A pending audit row of the run for the device: its request was (about to be) sent when the server stopped.
  const sentRow = itemRow("audit.outcome = 'pending'")
  const interruptSent = db.prepare(`UPDATE run_items SET outcome = 'interrupted', message = ?, finished_at = ?, audit_id = (${sentRow})
    WHERE run_id = ? AND outcome = 'pending' AND EXISTS (${sentRow})`)
  const failVerification = db.prepare('UPDATE runs SET verify_error = ? WHERE id = ? AND verified_at IS NULL')
  const failLostVerifications = db.prepare(`UPDATE runs SET verify_error = ?
    WHERE verify_after_ms IS NOT NULL AND finished_at IS NOT NULL AND verified_at IS NULL AND verify_error IS NULL`)
  const verifyItem = db.prepare('UPDATE run_items SET verified = ? WHERE run_id = ? AND seq = ?')
  const verified = db.prepare('UPDATE runs SET verified_at = ? WHERE id = ?')
  const byId = db.prepare('SELECT * FROM runs WHERE id = ?')
  const items = db.prepare('SELECT * FROM run_items WHERE run_id = ? ORDER BY seq')
  // The reasons of the items a run did not do: sent and failed ("Retry failed" takes them) or not
  // run for a failure (a look-up, a stop); a cancel's items are said by the run's state.
  const failureReasons = db.prepare(`SELECT message FROM run_items WHERE run_id = ? AND outcome IN (${[...RETRY_FAILED_OUTCOMES, 'not-run'].map((o) => `'${o}'`).join(', ')})
    GROUP BY message LIMIT 2`).pluck()
  // An item about a user (a run of users: one unknown, or logged in nowhere) has no device.
  const counts = db.prepare("SELECT outcome, count(*) AS n, sum(device = '') AS users FROM run_items WHERE run_id = ? GROUP BY outcome")
  const verifiedCounts = db.prepare('SELECT count(verified) AS checked, coalesce(sum(verified), 0) AS confirmed FROM run_items WHERE run_id = ?')
  const recent = db.prepare('SELECT * FROM runs ORDER BY created_at DESC, rowid DESC LIMIT ?')
  const recentBefore = db.prepare('SELECT * FROM runs WHERE (created_at, rowid) < (SELECT created_at, rowid FROM runs WHERE id = ?) ORDER BY created_at DESC, rowid DESC LIMIT ?')
  const retryOf = db.prepare('SELECT id, actor, created_at AS createdAt FROM runs WHERE parent_run_id = ? AND retry_scope = ? ORDER BY created_at LIMIT 1')
  const retries = db.prepare('SELECT retry_scope AS scope, MIN(created_at) AS createdAt, id AS runId, actor FROM runs WHERE parent_run_id = ? AND retry_scope IS NOT NULL GROUP BY retry_scope ORDER BY createdAt')
  const unfinished = db.prepare("SELECT id, owner, created_at AS createdAt FROM runs WHERE state IN ('previewing', 'running', 'cancelling')")

  /** The words of its summary record kept on a run's row (none on a run made before migration 017). */
  const wordsOf = (row: RunRow): RunWords => ({
    ...(row.summary_title === null ? {} : { title: row.summary_title }),
    ...(row.summary_note === null ? {} : { note: row.summary_note }),
    ...(row.summary_cluster === null ? {} : { cluster: row.summary_cluster })
  })

  function summary (row: RunRow): RunSummary {
    const rows = counts.all(row.id) as Array<{ outcome: string, n: number, users: number }>
    const byOutcome = Object.fromEntries(rows.map((c) => [c.outcome, c.n]))
    const userCounts = Object.fromEntries(rows.filter((c) => c.users > 0).map((c) => [c.outcome, c.users]))
    const total = Object.values(byOutcome).reduce((a, b) => a + b, 0)
    const verifyAt = row.verify_after_ms === null || row.finished_at === null ? null : new Date(Date.parse(row.finished_at) + row.verify_after_ms).toISOString()
    return {
      id: row.id,
      action: row.action,
      title: runTitle(row.action, wordsOf(row)),
      state: row.state,
      trigger: row.trigger,
      actor: row.actor,
      parentRunId: row.parent_run_id,
      selection: row.selection,
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      verifyAt,
      verifiedAt: row.verified_at,
      verifyError: row.verify_error,
      recheck: row.verified_at === null ? null : verifiedCounts.get(row.id) as { checked: number, confirmed: number },
      total,
      counts: byOutcome,
      ...(Object.keys(userCounts).length === 0 ? {} : { userCounts })
    }
  }

  /** When an item written with `outcome` was settled: now, unless it still waits for its turn. */
  const settledAt = (outcome: RunItemOutcome, at: string): string | null => outcome === 'pending' ? null : at

  const writes = {
    /** `clusters`: the ones the run was asked for, by their registry ids; absent: every usable one. `retryScope`: the items of the parent run it takes. */
    create (run: { id: string, action: RunAction, trigger: Trigger, actor: string, clientIp?: string, parentRunId?: string, retryScope?: RetryScope, verifyAfterMs?: number, selection?: string, clusters?: readonly string[], words: RunWords }): void {
      const { words, ...rest } = run
      insertRun.run({
        ...rest,
        parentRunId: run.parentRunId ?? null,
        retryScope: run.retryScope ?? null,
        verifyAfterMs: run.verifyAfterMs ?? null,
        selection: run.selection ?? null,
        clientIp: run.clientIp ?? null,
        clusters: run.clusters === undefined ? null : JSON.stringify(run.clusters),
        title: words.title ?? null,
        note: words.note ?? null,
        cluster: words.cluster ?? null,
        now: now().toISOString(),
        owner: THIS_PROCESS
      })
    },
    /** Items settled already (a repeat, a user found nowhere) are finished at once. */
    addItems (runId: string, list: readonly NewItem[]): void {
      const at = now().toISOString()
      list.forEach((item, seq) => insertItem.run({
        runId, seq, device: item.device, cluster: item.cluster ?? null, userId: item.userId, profile: item.profile ?? null, durationMinutes: item.durationMinutes ?? null, indefinite: item.indefinite === true ? 1 : 0, outcome: item.outcome, message: item.message ?? null, finishedAt: settledAt(item.outcome, at)
      }))
    },
    /**
     * What the look-up found for items added pending: who is on the device and on which cluster, or
     * why it is not run (settled: finished now). Returns that time, for the items' live progress.
     */
    previewItems (runId: string, list: ReadonlyArray<{ seq: number, userId: string | null, cluster: string | null, outcome: RunItemOutcome, message: string | null }>): string {
      const at = now().toISOString()
      for (const item of list) previewItem.run({ runId, seq: item.seq, userId: item.userId, cluster: item.cluster, outcome: item.outcome, message: item.message, finishedAt: settledAt(item.outcome, at) })
      return at
    },
    setState (id: string, state: RunState): void {
      setState.run({ id, state, now: now().toISOString() })
    },
    finishItem (runId: string, seq: number, result: ItemResult): void {
      finishItem.run({ runId, seq, outcome: result.outcome, emapiCode: result.emapiCode ?? null, message: result.message, auditId: result.auditId ?? null, now: now().toISOString() })
    },
    /** Items still pending will not be sent: they end as `outcome` with `message`. */
    endPending (runId: string, outcome: 'cancelled' | 'not-run', message: string): number {
      return endPending.run(outcome, message, now().toISOString(), runId).changes
    },
    /** At boot: pending items whose request was sent when the server stopped, linked to that audit row. */
    interruptSent (runId: string, message: string): number {
      return interruptSent.run(message, now().toISOString(), runId).changes
    },
    /** The re-check did not happen or failed: the run says why instead of waiting for ever. */
    failVerification (runId: string, reason: string): void {
      failVerification.run(reason, runId)
    },
    /** At boot: re-checks that were waiting in a server that stopped will not happen. */
    failLostVerifications (reason: string): number {
      return failLostVerifications.run(reason).changes
    },
    recordVerification (runId: string, results: ReadonlyArray<{ seq: number, verified: boolean }>): void {
      for (const r of results) verifyItem.run(Number(r.verified), runId, r.seq)
      verified.run(now().toISOString(), runId)
    }
  }

  const reads = {
    summary (id: string): RunSummary | undefined {
      const row = byId.get(id) as RunRow | undefined
      return row === undefined ? undefined : summary(row)
    },
    /** Who started the run (and from which address), and the words of its summary record kept since its start. */
    summaryWords (id: string): { actor: string, trigger: Trigger, clientIp?: string, words: RunWords } | undefined {
      const row = byId.get(id) as RunRow | undefined
      if (row === undefined) return undefined
      return { actor: row.actor, trigger: row.trigger, ...(row.client_ip === null ? {} : { clientIp: row.client_ip }), words: wordsOf(row) }
    },
    /** The clusters the run was asked for (its retries are asked for the same); undefined: every usable one. */
    clusterScope (id: string): string[] | undefined {
      const row = byId.get(id) as RunRow | undefined
      return row?.cluster_scope == null ? undefined : JSON.parse(row.cluster_scope) as string[]
    },
    /** The one reason every item the run failed to do gives (CUCM refused them all alike, a look-up failed); undefined when they give several, or none failed. */
    failureReason (id: string): string | undefined {
      const reasons = failureReasons.all(id) as Array<string | null>
      return reasons.length === 1 ? reasons[0] ?? undefined : undefined
    },
    items (id: string): RunItem[] {
      return (items.all(id) as ItemRow[]).map(toItem)
    },
    /** A page of items in run order after `after` (a seq), optionally only some outcomes. */
    itemsPage (id: string, query: { outcomes?: readonly RunItemOutcome[], after?: number, limit: number }): RunItemsPage {
      const { limit } = query
      const outcomes = query.outcomes ?? []
      const filter = outcomes.length === 0 ? '' : `AND outcome IN (${outcomes.map(() => '?').join(', ')})`
      const rows = db.prepare(`SELECT * FROM run_items WHERE run_id = ? AND seq > ? ${filter} ORDER BY seq LIMIT ?`)
        .all(id, query.after ?? -1, ...outcomes, limit + 1) as ItemRow[]
      const page = rows.slice(0, limit).map(toItem)
      return { items: page, nextAfter: rows.length > limit ? page.at(-1)?.seq ?? null : null }
    },
    /** The run that took a run's items of `scope` (its first, should there be several), by whom and when. */
    retryOf (id: string, scope: RetryScope): { id: string, actor: string, createdAt: string } | undefined {
      return retryOf.get(id, scope) as { id: string, actor: string, createdAt: string } | undefined
    },
    /** Each scope's retry of a run (its first, as retryOf), oldest first. */
    retries (id: string): RunRetry[] {
      return retries.all(id) as RunRetry[]
    },
    /** The latest runs first; with `before` (a run's id), those started before it. */
    recent (limit: number, before?: string): RunSummary[] {
      const rows = before === undefined ? recent.all(limit) : recentBefore.all(before, limit)
      return (rows as RunRow[]).map(summary)
    },
    /** At boot: runs a stopped server (or a CLI command since gone) left unfinished; not a running CLI command's. */
    unfinished (): string[] {
      return (unfinished.all() as UnfinishedRow[]).filter((r) => !otherLiveProcess(r.owner, r.createdAt)).map((r) => r.id)
    },
    /** While a server runs: runs a process of this machine left unfinished when it died (a CLI command killed outright). */
    unfinishedOfGone (): string[] {
      return (unfinished.all() as UnfinishedRow[]).filter((r) => goneHere(r.owner, r.createdAt)).map((r) => r.id)
    }
  }

  return { reads, writes }
}
