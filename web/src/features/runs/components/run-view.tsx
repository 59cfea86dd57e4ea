import { useId, useMemo } from 'react'
import type { RetryScope, Run, RunItem, RunItemOutcome, RunRetry } from '@em-console/shared/schemas'
import { Badge } from '../../../components/badge.tsx'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { InlineConfirm } from '../../../components/inline-confirm.tsx'
import { FilterSelect, SortHeader, useTableView, type Column } from '../../../components/table-tools.tsx'
import { ApiError } from '../../../lib/api-client.ts'
import { auditHref } from '../../../lib/audit-link.ts'
import { runAuditHref } from '../../../lib/run-audit-link.ts'
import { useHasRole } from '../../../lib/authorization.tsx'
import { displayDeviceName } from '../../../lib/device-names.ts'
import { formatCount, formatDateTime, formatRelative, formatShortDateTime, plural } from '../../../lib/format.ts'
import { useNow } from '../../../lib/use-now.ts'
import { runHref } from '../../../lib/run-link.ts'
import { useCancelRun, useRetryRun } from '../api/control-run.ts'
import { isFinalState, runResultsHref, useRun } from '../api/get-run.ts'
import { RUN_ITEMS_PAGE_SIZE, useRunItems } from '../api/get-run-items.ts'
import { useRunEvents, type LiveRun } from '../api/run-events.ts'
import { outcomeCountsText } from '@em-console/shared/display'
import { resendCount } from '@em-console/shared/rules'
import { failedCount, notReachedCount, outcomeCounts, RUN_OUTCOMES, RUN_STATE_LABELS, runItemOutcomeLabel, runItemsNoun, runOutcomeTone, runStateTone, shortRunId, triggerLabel } from './run-format.ts'
import { clusterLabel, useClusterScope } from '../../../lib/cluster.tsx'
import { NOTHING } from '../../../components/nothing.tsx'
import { UserId } from '../../../components/user-id.tsx'

/** The run as GET /api/runs/:id gave it, brought up to date by the event stream until it is final. */
function merge (run: Run, live: LiveRun | undefined): Run {
  if (live === undefined || isFinalState(run.state)) return run
  return { ...run, state: live.state, total: Math.max(live.total, run.total), counts: live.counts, userCounts: live.userCounts ?? run.userCounts }
}

/** Which items show: an outcome (or "failed", "all"), and the cursors of the pages after the first. */
export interface ItemsView {
  show: string
  cursors: string[]
}

interface RunViewProps {
  id: string
  onRetried: (id: string) => void
  items: ItemsView
  onItems: (view: ItemsView) => void
}

export function RunView ({ id, onRetried, items, onItems }: RunViewProps) {
  const query = useRun(id)
  const { live, lost } = useRunEvents(id, query.data !== undefined && !isFinalState(query.data.state))
  const titleId = useId()

  if (query.isPending) return <p className='muted'>Loading the run…</p>
  if (query.isError) {
    const notFound = query.error instanceof ApiError && query.error.status === 404
    return <ErrorNotice error={query.error} title={notFound ? `There is no run ${id}` : 'Could not read the run'} />
  }
  const run = merge(query.data, live)
  return (
    <section className='card' aria-labelledby={titleId}>
      <header className='card-header'>
        {/* What the run was, in its summary record's words: a list, a retry, sessions picked… */}
        <h2 id={titleId} className='run-title'>{run.title} <span className='mono muted'>{shortRunId(run.id)}</span></h2>
        {/* A status region: screen readers hear the run start, finish or stop. */}
        <p className='run-state' role='status'>
          <span className='visually-hidden'>State: </span><Badge tone={runStateTone(run)}>{RUN_STATE_LABELS[run.state]}</Badge>
        </p>
      </header>
      <dl className='facts facts-4'>
        <div><dt>Started by</dt><dd>{run.actor} <span className='muted small'>via {triggerLabel(run.trigger)}</span></dd></div>
        {/* When it was asked: its first look-up is part of it, and settles items (an unknown device) before its lanes start. */}
        <div><dt>Started</dt><dd>{formatDateTime(run.createdAt)}</dd></div>
        <div><dt>Finished</dt><dd>{run.finishedAt === null ? NOTHING : formatDateTime(run.finishedAt)}</dd></div>
        {run.parentRunId !== null && <div><dt>Retry of</dt><dd><a className='mono' href={runHref(run.parentRunId)}>{shortRunId(run.parentRunId)}</a></dd></div>}
      </dl>
      {run.selection !== null && <p className='small'><span className='muted'>Selected: </span>{run.selection}</p>}
      {/* The state's colour says whether anything failed: a screen reader hears the counts, once, as the run ends (always there, to be heard). */}
      <p className='visually-hidden' role='status'>
        {isFinalState(run.state) && `${RUN_STATE_LABELS[run.state]}: ${outcomeCountsText(run, formatCount)}.`}
      </p>
      {/* Always there, so a screen reader hears the notice come and go. */}
      <div role='status'>
        {lost && !isFinalState(run.state) && (
          <p className='notice notice-warn notice-compact'>
            The EM Console server does not answer: this page shows the run as it last heard of it, trying again every few seconds.
          </p>
        )}
      </div>
      <RunProgress run={run} />
      <RunActions run={run} onRetried={onRetried} />
      <Verification run={run} />
      <RunItems run={run} view={items} onView={onItems} />
    </section>
  )
}

/** How far a run got: a run stopped early says so, rather than "12 of 12 finished, 100%". */
function progressOf (run: Run): { reached: number, label: string } {
  const waiting = run.counts.pending ?? 0
  const notReached = notReachedCount(run.counts)
  const reached = run.total - waiting - notReached
  const noun = runItemsNoun(run)
  const devices = plural(run.total, noun.one, noun.many)
  if (run.state === 'cancelled' || run.state === 'cancelling') return { reached, label: `${run.state === 'cancelled' ? 'Cancelled' : 'Cancelling'} after ${formatCount(reached)} of ${devices}` }
  if (run.state === 'interrupted') return { reached, label: `Interrupted after ${formatCount(reached)} of ${devices}` }
  return { reached: run.total - waiting, label: `${formatCount(run.total - waiting)} of ${devices} finished` }
}

function RunProgress ({ run }: { run: Run }) {
  const known = run.state !== 'previewing'
  const { reached, label } = progressOf(run)
  const percent = run.total === 0 ? (isFinalState(run.state) ? 100 : 0) : Math.round(reached / run.total * 100)
  return (
    <div className='run-progress'>
      <div className='run-progress-label'>
        <span>{known ? label : 'Looking up every device…'}</span>
        {known && <span className='muted'>{percent}%</span>}
      </div>
      <div
        className={known ? 'meter' : 'meter meter-busy'}
        role='progressbar'
        aria-label='Run progress'
        aria-valuemin={0}
        aria-valuemax={known ? run.total : undefined}
        aria-valuenow={known ? reached : undefined}
        aria-valuetext={known ? label : 'Looking up devices'}
      >
        <span style={{ width: known ? `${percent}%` : undefined }} />
      </div>
      <ul className='count-list' aria-label='Outcomes'>
        {/* In the rows' words: a run of users counts its unknown users apart from its unknown devices. */}
        {outcomeCounts(run).map(({ outcome, label, count }) => (
          <li key={label} data-outcome={outcome}>
            <Badge tone={runOutcomeTone(outcome as RunItemOutcome)}>{formatCount(count)}</Badge> {label}
          </li>
        ))}
      </ul>
    </div>
  )
}

function RunActions ({ run, onRetried }: { run: Run, onRetried: (id: string) => void }) {
  const canOperate = useHasRole('operator')
  const cancel = useCancelRun()
  const retry = useRetryRun()
  const final = isFinalState(run.state)
  // What each sends again: a user it could not find has no device to send to.
  const failed = resendCount(run, 'failed')
  const rest = resendCount(run, 'rest')
  const pending = retry.isPending ? retry.variables.scope : undefined
  // A scope is taken again once: a retry of it (by anyone) stands where its button was.
  const retriedBy = (scope: RetryScope): RunRetry | undefined => run.retries.find((r) => r.scope === scope)
  const retriedFailed = retriedBy('failed')
  const retriedRest = retriedBy('rest')
  return (
    <>
      <div className='button-row button-row-start'>
        {canOperate && !final && (
          // aria-disabled rather than disabled: the button keeps the focus until the run stops (then the run's card takes it).
          <button type='button' className='button button-danger' aria-disabled={run.state === 'cancelling' || cancel.isPending ? true : undefined} onClick={() => { if (run.state !== 'cancelling' && !cancel.isPending) cancel.mutate(run.id) }}>
            {run.state === 'cancelling' ? 'Cancelling…' : 'Cancel run'}
          </button>
        )}
        {final && <a className='button' href={runResultsHref(run.id)} download>Download results (CSV)</a>}
        <a className='button button-ghost' href={runAuditHref(run.id)}>Audit records</a>
        {/* Each sends changes to CUCM again: asked once, in place, as every change is. */}
        {final && failed > 0 && retriedFailed !== undefined && <RetriedNote retry={retriedFailed} what='The failed devices were retried' />}
        {final && rest > 0 && retriedRest !== undefined && <RetriedNote retry={retriedRest} what='The devices not reached were run' />}
        {canOperate && final && failed > 0 && retriedFailed === undefined && (
          <InlineConfirm
            label={`Retry failed (${failed})`}
            busy={pending === 'failed'}
            busyLabel='Starting…'
            question={`Send the ${plural(failed, run.action)} that failed again, as a new run?`}
            groupName='Confirm retrying the failed devices'
            confirmLabel='Retry'
            onOpen={() => retry.reset()}
            onConfirm={() => retry.mutate({ id: run.id, scope: 'failed' }, { onSuccess: (started) => onRetried(started.id) })}
            className='button button-primary'
          />
        )}
        {canOperate && final && rest > 0 && retriedRest === undefined && (
          <InlineConfirm
            label={`Run the rest (${rest})`}
            busy={pending === 'rest'}
            busyLabel='Starting…'
            question={`Send a ${run.action} to the ${plural(rest, 'device')} this run did not reach, as a new run?`}
            groupName='Confirm running the rest'
            confirmLabel='Run them'
            onOpen={() => retry.reset()}
            onConfirm={() => retry.mutate({ id: run.id, scope: 'rest' }, { onSuccess: (started) => onRetried(started.id) })}
            className={failed > 0 && retriedFailed === undefined ? 'button' : 'button button-primary'}
          />
        )}
        {!final && <span className='muted small button-row-note'>Cancelling stops new devices; those in progress finish.</span>}
      </div>
      {cancel.isError && <ErrorNotice error={cancel.error} title='Could not cancel the run' compact />}
      {retry.isError && <ErrorNotice error={retry.error} title={retry.variables?.scope === 'rest' ? 'Could not run the rest' : 'Could not retry the failed devices'} compact />}
    </>
  )
}

/** Where a run's "Retry failed" or "Run the rest" went: the run that took them, by whom and when. */
function RetriedNote ({ retry, what }: { retry: RunRetry, what: string }) {
  return (
    <span className='muted small button-row-note'>
      {what} in run <a className='mono' href={runHref(retry.runId)}>{shortRunId(retry.runId)}</a> by {retry.actor}, {formatDateTime(retry.createdAt)}.
    </span>
  )
}

function Verification ({ run }: { run: Run }) {
  // "in 1 minute" counts down to the re-check while the page is open: on screen only, as a screen
  // reader would hear each tick of it in this status region (the time itself is beside it).
  const now = useNow(5_000)
  if (!isFinalState(run.state)) return null
  if (run.verifyAt === null) return <p className='muted small verification'>No re-check was asked for this run.</p>
  // The server's words begin as the badge does (the CLI shows them alone): said once here.
  if (run.verifyError !== null && run.verifiedAt === null) return <p className='small verification' role='status'><Badge tone='warn'>Not re-checked</Badge> {run.verifyError.replace(/^Not re-checked: (.)/, (_, first: string) => first.toUpperCase())}</p>
  if (run.verifiedAt === null) {
    return (
      <p className='small verification' role='status'>
        <Badge tone='info'>Re-check pending</Badge> The devices are looked up again at <time dateTime={run.verifyAt}>{formatDateTime(run.verifyAt)}</time><span aria-hidden='true'> ({formatRelative(run.verifyAt, now)})</span>, once CUCM's cache has caught up.
      </p>
    )
  }
  const { checked, confirmed } = run.recheck ?? { checked: 0, confirmed: 0 }
  return (
    <p className='small verification' role='status'>
      <Badge tone={confirmed === checked && run.verifyError === null ? 'ok' : 'warn'}>Re-checked</Badge> {formatDateTime(run.verifiedAt)}: {formatCount(confirmed)} of {plural(checked, 'device')} {run.action === 'logout' ? 'confirmed logged out' : 'confirmed logged in'}.
      {/* Some devices were not: their cluster could not be asked. */}
      {run.verifyError !== null && ` ${run.verifyError}`}
    </p>
  )
}

const ITEM_COLUMNS: Array<Column<RunItem>> = [
  { key: 'device', label: 'Device', value: (item) => displayDeviceName(item.device) },
  { key: 'cluster', label: 'Cluster', value: (item) => item.cluster },
  { key: 'user', label: 'User', value: (item) => item.userId },
  { key: 'outcome', label: 'Outcome', value: (item) => runItemOutcomeLabel(item), className: 'narrow-hidden' },
  { key: 'message', label: 'Message', value: (item) => item.message },
  { key: 'finished', label: 'Finished (your time)', value: (item) => item.finishedAt },
  { key: 'recheck', label: 'Re-check', value: (item) => item.verified === null ? null : item.verified ? 'Verified' : 'Not verified' }
]

function ItemOutcome ({ item }: { item: RunItem }) {
  return (
    <>
      <Badge tone={runOutcomeTone(item.outcome)}>{runItemOutcomeLabel(item)}</Badge>
      {item.emapiCode !== null && <> <span className='code-chip'>{item.emapiCode}</span></>}
    </>
  )
}

/**
 * The filter of each outcome counted, in its counts' words: one outcome of a run of users may
 * hold users and devices ("Unknown device or unknown user"), as the server filters by outcome.
 */
function byOutcome (run: Run): Array<{ value: string, label: string, count: number }> {
  const options = new Map<string, { value: string, label: string, count: number }>()
  for (const { outcome, label, count } of outcomeCounts(run)) {
    if (outcome === 'pending') continue
    const option = options.get(outcome)
    if (option === undefined) options.set(outcome, { value: outcome, label, count })
    else options.set(outcome, { value: outcome, label: `${option.label} or ${label.toLowerCase()}`, count: option.count + count })
  }
  return [...options.values()]
}

/** What the items can be filtered by; anything else in an address shows them all. */
const SHOWN: ReadonlySet<string> = new Set(['all', 'failed', ...RUN_OUTCOMES.filter((o) => o !== 'pending')])

/**
 * The finished items, a page at a time from the server (GET /api/runs/:id/items), filtered there by
 * outcome; sorting orders the page shown. The whole run downloads as CSV above.
 */
function RunItems ({ run, view: shown, onView }: { run: Run, view: ItemsView, onView: (view: ItemsView) => void }) {
  const show = SHOWN.has(shown.show) ? shown.show : 'all'
  // The `after` of each page seen so far: Previous goes back one, Next adds one.
  const pages = [-1, ...shown.cursors.filter((cursor) => /^\d{1,15}$/.test(cursor)).map(Number)]
  const setPages = (next: number[]) => onView({ show, cursors: next.slice(1).map(String) })
  const after = pages.at(-1) ?? -1
  const finished = run.total - (run.counts.pending ?? 0)
  const outcome = show === 'all' ? undefined : show as RunItemOutcome | 'failed'
  const items = useRunItems(run.id, { outcome, after }, `${finished} ${run.verifiedAt ?? ''}`)
  const page = useMemo(() => (items.data?.items ?? []).filter((item) => item.outcome !== 'pending'), [items.data])
  const anyVerified = run.recheck !== null
  // A Cluster column once there is more than one cluster to tell apart (issue #17).
  const scope = useClusterScope()
  const severalClusters = scope.several || new Set(page.flatMap((item) => item.cluster === null ? [] : [item.cluster.toLowerCase()])).size > 1
  const columns = ITEM_COLUMNS.filter((column) => (anyVerified || column.key !== 'recheck') && (severalClusters || column.key !== 'cluster'))
  const view = useTableView(page, columns)
  const id = useId()
  const failures = failedCount(run.counts)
  const notReached = notReachedCount(run.counts)
  const noun = runItemsNoun(run)
  const options = [
    { value: 'all', label: 'All', count: finished },
    ...(failures > 0 ? [{ value: 'failed', label: 'Failed only', count: failures }] : []),
    ...byOutcome(run)
  ]
  const choose = (value: string) => onView({ show: value, cursors: [] })
  const next = items.data?.nextAfter ?? null
  // Sorting sorts the page on screen: offered only when the page is all there is (it sorted 100 of 1,200 as if they were all).
  const paged = pages.length > 1 || next !== null
  const pageCount = Math.ceil((options.find((option) => option.value === show)?.count ?? 0) / RUN_ITEMS_PAGE_SIZE)
  return (
    <section className='run-items' aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className='section-title'>Finished {noun.many} <span className='muted small'>({formatCount(finished)} of {formatCount(run.total)}{notReached > 0 ? `, ${formatCount(notReached)} of them not reached` : ''})</span></h3>
      {items.isError && <ErrorNotice error={items.error} title={`Could not read the ${noun.many} of the run`} compact />}
      {finished === 0
        ? <p className='empty'>No {noun.one} has finished yet.</p>
        : (
          <>
            <div className='table-toolbar'>
              <FilterSelect id={`${id}-show`} value={show} options={options} onChange={choose} />
            </div>
            <div className='table-wrap narrowable'>
              <table className='table table-dense' aria-labelledby={`${id}-title`}>
                <thead>
                  <tr>
                    {columns.map((column) => paged ? <th key={column.key} scope='col' className={column.className}>{column.label}</th> : <SortHeader key={column.key} column={column} view={view} />)}
                    <th scope='col'><span className='visually-hidden'>Audit record</span></th>
                  </tr>
                </thead>
                <tbody>
                  {(paged ? page : view.shown).map((item) => (
                    <tr key={item.seq}>
                      <th scope='row'>
                        <span className='mono'>{item.device === '' ? NOTHING : displayDeviceName(item.device)}</span>
                        {/* A narrow table (a phone) shows the outcome here, under the device: its own column is past the frame's edge. */}
                        <span className='narrow-only'><ItemOutcome item={item} /></span>
                      </th>
                      {severalClusters && <td className='cell-nowrap'>{item.cluster === null ? NOTHING : clusterLabel(scope.clusters, item.cluster)}</td>}
                      <td>{item.userId === null ? NOTHING : <UserId id={item.userId} />}</td>
                      <td className='cell-nowrap narrow-hidden'><ItemOutcome item={item} /></td>
                      <td className='small'>{item.message ?? NOTHING}</td>
                      <td className='cell-nowrap small'>{item.finishedAt === null ? NOTHING : formatShortDateTime(item.finishedAt)}</td>
                      {anyVerified && (
                        <td>{item.verified === null ? NOTHING : item.verified ? <Badge tone='ok'>Verified</Badge> : <Badge tone='bad'>Not verified</Badge>}</td>
                      )}
                      <td className='cell-actions small'>{item.auditId !== null && <a href={auditHref(item.auditId)} aria-label={`#${item.auditId}: audit record of ${displayDeviceName(item.device)}`}>#{item.auditId}</a>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {items.isSuccess && page.length === 0 && <p className='empty'>No {noun.one} with this outcome.</p>}
            {paged && (
              // aria-disabled rather than disabled: the first or last page reached by keyboard keeps the
              // focus on the button pressed (a disabled one drops it to the page's top), and the page
              // number, a status, tells a screen reader where it now is.
              <nav className='pager' aria-label={`Pages of ${noun.many}`}>
                <button type='button' className='button button-ghost button-small' aria-disabled={pages.length <= 1 ? true : undefined} onClick={() => { if (pages.length > 1) setPages(pages.slice(0, -1)) }}>← Previous</button>
                <span className='muted small' role='status'>Page {pages.length}{pageCount > 1 ? ` of ${formatCount(pageCount)}` : ''}</span>
                <button type='button' className='button button-ghost button-small' aria-disabled={next === null ? true : undefined} onClick={() => { if (next !== null) setPages([...pages, next]) }}>Next →</button>
              </nav>
            )}
          </>
          )}
    </section>
  )
}
