import { useId, useMemo, useState } from 'react'
import type { Run, RunItem } from '@em-console/shared/schemas'
import { Badge } from '../../../components/badge.tsx'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { FilterSelect, SortHeader, TablePager, useTableView, type Column } from '../../../components/table-tools.tsx'
import { ApiError } from '../../../lib/api-client.ts'
import { auditHref } from '../../../lib/audit-link.ts'
import { useHasRole } from '../../../lib/authorization.tsx'
import { displayDeviceName } from '../../../lib/device-names.ts'
import { formatDateTime, formatRelative, formatShortDateTime, plural } from '../../../lib/format.ts'
import { runHref } from '../../../lib/run-link.ts'
import { useCancelRun, useRetryRun } from '../api/control-run.ts'
import { isFinalState, runResultsHref, useRun } from '../api/get-run.ts'
import { useRunEvents, type LiveRun } from '../api/run-events.ts'
import { failedCount, notReachedCount, RUN_OUTCOME_LABELS, RUN_OUTCOMES, RUN_STATE_LABELS, runOutcomeTone, runStateTone, shortRunId, triggerLabel } from './run-format.ts'

/** The run as GET /api/runs/:id gave it, brought up to date by the event stream until it is final. */
function merge (run: Run, live: LiveRun | undefined): Run {
  if (live === undefined || isFinalState(run.state)) return run
  return {
    ...run,
    state: live.state,
    total: Math.max(live.total, run.total),
    counts: live.counts,
    items: run.items.map((item) => item.outcome === 'pending' ? live.items.get(item.seq) ?? item : item)
  }
}

interface RunViewProps {
  id: string
  onRetried: (id: string) => void
}

export function RunView ({ id, onRetried }: RunViewProps) {
  const query = useRun(id)
  const live = useRunEvents(id, query.data !== undefined && !isFinalState(query.data.state))
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
        <h2 id={titleId}>{run.action === 'logout' ? 'Bulk logout' : 'Bulk login'} <span className='mono muted'>{shortRunId(run.id)}</span></h2>
        {/* A status region: screen readers hear the run start, finish or stop. */}
        <p className='run-state' role='status'>
          <span className='visually-hidden'>State: </span><Badge tone={runStateTone(run.state)}>{RUN_STATE_LABELS[run.state]}</Badge>
        </p>
      </header>
      <dl className='facts facts-4'>
        <div><dt>Started by</dt><dd>{run.actor} <span className='muted small'>via {triggerLabel(run.trigger)}</span></dd></div>
        <div><dt>Started</dt><dd>{formatDateTime(run.startedAt ?? run.createdAt)}</dd></div>
        <div><dt>Finished</dt><dd>{run.finishedAt === null ? <span className='muted'>—</span> : formatDateTime(run.finishedAt)}</dd></div>
        <div>
          <dt>Retry of</dt>
          <dd>{run.parentRunId === null ? <span className='muted'>—</span> : <a className='mono' href={runHref(run.parentRunId)}>{shortRunId(run.parentRunId)}</a>}</dd>
        </div>
      </dl>
      <RunProgress run={run} />
      <RunActions run={run} onRetried={onRetried} />
      <Verification run={run} />
      <RunItems items={run.items} />
    </section>
  )
}

/** How far a run got: a run stopped early says so, rather than "12 of 12 finished, 100%". */
function progressOf (run: Run): { reached: number, label: string } {
  const waiting = run.counts.pending ?? 0
  const notReached = notReachedCount(run.counts)
  const reached = run.total - waiting - notReached
  const devices = plural(run.total, 'device')
  if (run.state === 'cancelled' || run.state === 'cancelling') return { reached, label: `${run.state === 'cancelled' ? 'Cancelled' : 'Cancelling'} after ${reached} of ${devices}` }
  if (run.state === 'interrupted') return { reached, label: `Interrupted after ${reached} of ${devices}` }
  return { reached: run.total - waiting, label: `${run.total - waiting} of ${devices} finished` }
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
        {RUN_OUTCOMES.filter((outcome) => (run.counts[outcome] ?? 0) > 0).map((outcome) => (
          <li key={outcome} data-outcome={outcome}>
            <Badge tone={runOutcomeTone(outcome)}>{run.counts[outcome]}</Badge> {RUN_OUTCOME_LABELS[outcome]}
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
  const failed = failedCount(run.counts)
  const rest = notReachedCount(run.counts)
  const pending = retry.isPending ? retry.variables.scope : undefined
  return (
    <>
      <div className='button-row button-row-start'>
        {canOperate && !final && (
          <button type='button' className='button button-danger' disabled={run.state === 'cancelling' || cancel.isPending} onClick={() => cancel.mutate(run.id)}>
            {run.state === 'cancelling' ? 'Cancelling…' : 'Cancel run'}
          </button>
        )}
        {final && <a className='button' href={runResultsHref(run.id)} download>Download results (CSV)</a>}
        {canOperate && final && failed > 0 && (
          <button type='button' className='button button-primary' disabled={retry.isPending} onClick={() => retry.mutate({ id: run.id, scope: 'failed' }, { onSuccess: (started) => onRetried(started.id) })}>
            {pending === 'failed' ? 'Starting…' : `Retry failed (${failed})`}
          </button>
        )}
        {canOperate && final && rest > 0 && (
          <button type='button' className={failed > 0 ? 'button' : 'button button-primary'} disabled={retry.isPending} onClick={() => retry.mutate({ id: run.id, scope: 'rest' }, { onSuccess: (started) => onRetried(started.id) })}>
            {pending === 'rest' ? 'Starting…' : `Run the rest (${rest})`}
          </button>
        )}
        {!final && <span className='muted small button-row-note'>Cancelling stops new devices; those in progress finish.</span>}
      </div>
      {cancel.isError && <ErrorNotice error={cancel.error} title='Could not cancel the run' compact />}
      {retry.isError && <ErrorNotice error={retry.error} title={retry.variables?.scope === 'rest' ? 'Could not run the rest' : 'Could not retry the failed devices'} compact />}
    </>
  )
}

function Verification ({ run }: { run: Run }) {
  if (!isFinalState(run.state)) return null
  if (run.verifyAt === null) return <p className='muted small verification'>No re-check was asked for this run.</p>
  if (run.verifiedAt === null) {
    return (
      <p className='small verification' role='status'>
        <Badge tone='info'>Re-check pending</Badge> The devices are looked up again at <time dateTime={run.verifyAt}>{formatDateTime(run.verifyAt)}</time> ({formatRelative(run.verifyAt)}), once CUCM's cache has caught up.
      </p>
    )
  }
  const checked = run.items.filter((item) => item.verified !== null)
  const confirmed = checked.filter((item) => item.verified === true).length
  return (
    <p className='small verification' role='status'>
      <Badge tone={confirmed === checked.length ? 'ok' : 'warn'}>Re-checked</Badge> {formatDateTime(run.verifiedAt)}: {confirmed} of {plural(checked.length, 'device')} {run.action === 'logout' ? 'confirmed logged out' : 'confirmed logged in'}.
    </p>
  )
}

const ITEM_COLUMNS: Array<Column<RunItem>> = [
  { key: 'device', label: 'Device', value: (item) => displayDeviceName(item.device) },
  { key: 'user', label: 'User', value: (item) => item.userId },
  { key: 'outcome', label: 'Outcome', value: (item) => RUN_OUTCOME_LABELS[item.outcome] },
  { key: 'message', label: 'Message', value: (item) => item.message },
  { key: 'finished', label: 'Finished (your time)', value: (item) => item.finishedAt },
  { key: 'recheck', label: 'Re-check', value: (item) => item.verified === null ? null : item.verified ? 'Verified' : 'Not verified' }
]

/** "Failed only" gathers both kinds of failure; the other choices are one outcome each. */
const FAILED_ONLY = 'failed-only'

function RunItems ({ items }: { items: RunItem[] }) {
  const finished = useMemo(() => items.filter((item) => item.outcome !== 'pending'), [items])
  const anyVerified = items.some((item) => item.verified !== null)
  const columns = anyVerified ? ITEM_COLUMNS : ITEM_COLUMNS.filter((column) => column.key !== 'recheck')
  const [show, setShow] = useState('all')
  const filter = useMemo(() => show === 'all'
    ? undefined
    : show === FAILED_ONLY ? (item: RunItem) => item.outcome === 'failure' || item.outcome === 'error' : (item: RunItem) => item.outcome === show, [show])
  const view = useTableView(finished, columns, filter)
  const id = useId()
  const count = (predicate: (item: RunItem) => boolean) => finished.filter(predicate).length
  const failures = count((item) => item.outcome === 'failure' || item.outcome === 'error')
  const options = [
    { value: 'all', label: 'All', count: finished.length },
    ...(failures > 0 ? [{ value: FAILED_ONLY, label: 'Failed only', count: failures }] : []),
    ...RUN_OUTCOMES.filter((outcome) => outcome !== 'pending').map((outcome) => ({ value: outcome, label: RUN_OUTCOME_LABELS[outcome], count: count((item) => item.outcome === outcome) })).filter((option) => option.count > 0)
  ]
  return (
    <section className='run-items' aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className='section-title'>Finished devices <span className='muted small'>({finished.length} of {items.length})</span></h3>
      {finished.length === 0
        ? <p className='empty'>No device has finished yet.</p>
        : (
          <>
            <div className='table-toolbar'>
              <FilterSelect id={`${id}-show`} value={show} options={options} onChange={setShow} />
            </div>
            <div className='table-wrap'>
              <table className='table table-dense' aria-labelledby={`${id}-title`}>
                <thead>
                  <tr>
                    {columns.map((column) => <SortHeader key={column.key} column={column} view={view} />)}
                    <th scope='col'><span className='visually-hidden'>Audit record</span></th>
                  </tr>
                </thead>
                <tbody>
                  {view.shown.map((item) => (
                    <tr key={item.seq}>
                      <th scope='row' className='mono'>{displayDeviceName(item.device)}</th>
                      <td className='break-anywhere'>{item.userId ?? <span className='muted'>—</span>}</td>
                      <td className='cell-nowrap'>
                        <Badge tone={runOutcomeTone(item.outcome)}>{RUN_OUTCOME_LABELS[item.outcome]}</Badge>
                        {item.emapiCode !== null && <> <span className='code-chip'>{item.emapiCode}</span></>}
                      </td>
                      <td className='small'>{item.message ?? <span className='muted'>—</span>}</td>
                      <td className='cell-nowrap small'>{item.finishedAt === null ? <span className='muted'>—</span> : formatShortDateTime(item.finishedAt)}</td>
                      {anyVerified && (
                        <td>{item.verified === null ? <span className='muted'>—</span> : item.verified ? <Badge tone='ok'>Verified</Badge> : <Badge tone='bad'>Not verified</Badge>}</td>
                      )}
                      <td className='cell-actions small'>{item.auditId !== null && <a href={auditHref(item.auditId)} aria-label={`#${item.auditId}: audit record of ${displayDeviceName(item.device)}`}>#{item.auditId}</a>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {view.rows.length === 0 && <p className='empty'>No device with this outcome.</p>}
            <TablePager view={view} noun='devices' />
          </>
          )}
    </section>
  )
}
