import { NewRunForm } from '../../features/runs/components/new-run-form.tsx'
import { RecentRuns } from '../../features/runs/components/recent-runs.tsx'
import { RunView } from '../../features/runs/components/run-view.tsx'
import { useHasRole } from '../../lib/authorization.tsx'
import { cursorsParam, readCursors } from '../../lib/page-cursors.ts'
import { runHref } from '../../lib/run-link.ts'
import { pushParams } from '../router.ts'

function openRun (id: string): void {
  window.location.hash = runHref(id)
}

/**
 * `#/runs`: a new run and the recent ones; `#/runs/<id>`: one run, live while it goes on, its items
 * shown as the address says (`show=failed&after=100`), as History's pages are.
 */
export function RunsScreen ({ runId, params }: { runId: string | undefined, params: URLSearchParams }) {
  const canOperate = useHasRole('operator')
  if (runId !== undefined) {
    return (
      <div className='stack'>
        <p className='small'><a href='#/runs'>← All bulk runs</a></p>
        {/* A new run (e.g. a retry) starts with a fresh page and event stream. */}
        <RunView
          key={runId}
          id={runId}
          onRetried={openRun}
          items={{ show: params.get('show') ?? 'all', cursors: readCursors(params) }}
          // Another filter or page is a history entry: Back returns to the page before.
          onItems={({ show, cursors }) => pushParams('runs', { show: show === 'all' ? undefined : show, after: cursorsParam(cursors) }, runId)}
        />
      </div>
    )
  }
  return (
    <div className='stack'>
      {canOperate
        ? <NewRunForm onStarted={openRun} />
        : <p className='muted small'>Operators and admins start bulk runs; you can follow them here.</p>}
      <RecentRuns />
    </div>
  )
}
