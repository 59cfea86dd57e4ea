import { NewRunForm } from '../../features/runs/components/new-run-form.tsx'
import { RecentRuns } from '../../features/runs/components/recent-runs.tsx'
import { RunView } from '../../features/runs/components/run-view.tsx'
import { useHasRole } from '../../lib/authorization.tsx'
import { runHref } from '../../lib/run-link.ts'

function openRun (id: string): void {
  window.location.hash = runHref(id)
}

/** `#/runs`: a new run and the recent ones; `#/runs/<id>`: one run, live while it goes on. */
export function RunsScreen ({ runId }: { runId: string | undefined }) {
  const canOperate = useHasRole('operator')
  if (runId !== undefined) {
    return (
      <div className='stack'>
        <p className='small'><a href='#/runs'>← All bulk runs</a></p>
        {/* A new run (e.g. a retry) starts with a fresh page and event stream. */}
        <RunView key={runId} id={runId} onRetried={openRun} />
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
