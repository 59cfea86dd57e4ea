import { useId } from 'react'
import { Badge } from '../../../components/badge.tsx'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { formatCount, formatShortDateTime, plural } from '../../../lib/format.ts'
import { runHref } from '../../../lib/run-link.ts'
import { useRecentRuns } from '../api/get-runs.ts'
import { outcomeCountsText } from '@em-console/shared/display'
import { RUN_STATE_LABELS, runItemsNoun, runStateTone, shortRunId, triggerLabel } from './run-format.ts'
import { NOTHING } from '../../../components/nothing.tsx'

export function RecentRuns () {
  const runs = useRecentRuns()
  const list = runs.data?.pages.flatMap((page) => page.runs) ?? []
  const id = useId()
  return (
    <section className='card' aria-labelledby={`${id}-title`}>
      <header className='card-header'>
        <h2 id={`${id}-title`}>Recent runs</h2>
      </header>
      {runs.isPending && <p className='muted'>Loading runs…</p>}
      {runs.isError && <ErrorNotice error={runs.error} title='Could not read the runs' />}
      {runs.isSuccess && list.length === 0 && <p className='empty'>No bulk run yet.</p>}
      {list.length > 0 && (
        <div className='table-wrap'>
          <table className='table'>
            <thead>
              <tr>
                <th scope='col'>Run</th>
                <th scope='col'>Started (your time)</th>
                <th scope='col'>Action</th>
                <th scope='col'>State</th>
                <th scope='col'>Items</th>
                <th scope='col'>Outcomes</th>
                <th scope='col'>By</th>
              </tr>
            </thead>
            <tbody>
              {list.map((run) => (
                <tr key={run.id}>
                  <th scope='row'>
                    <a className='mono' href={runHref(run.id)}>{shortRunId(run.id)}</a>
                    <span className='cell-sub run-title small'>{run.title}</span>
                  </th>
                  <td className='cell-nowrap'>{formatShortDateTime(run.createdAt)}</td>
                  <td>{run.action === 'logout' ? 'Log out' : 'Log in'}{run.parentRunId !== null && <span className='muted small'> (retry)</span>}</td>
                  <td><Badge tone={runStateTone(run)}>{RUN_STATE_LABELS[run.state]}</Badge></td>
                  <td className='cell-nowrap'>{plural(run.total, runItemsNoun(run).one, runItemsNoun(run).many)}</td>
                  <td className='small'>
                    {outcomeCountsText(run, formatCount) || NOTHING}
                  </td>
                  <td>{run.actor} <span className='muted small'>via {triggerLabel(run.trigger)}</span></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {runs.hasNextPage && (
        <div className='button-row button-row-start'>
          <button type='button' className='button button-ghost button-small' onClick={() => { runs.fetchNextPage().catch(() => {}) }} disabled={runs.isFetchingNextPage}>
            {runs.isFetchingNextPage ? 'Loading…' : 'Show older runs'}
          </button>
        </div>
      )}
    </section>
  )
}
