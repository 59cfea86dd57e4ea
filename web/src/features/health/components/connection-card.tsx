import { Badge } from '../../../components/badge.tsx'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { formatDateTime, formatRelative } from '../../../lib/format.ts'
import { useHealth } from '../api/get-health.ts'

export function ConnectionCard () {
  const health = useHealth()
  const data = health.data

  return (
    <section className='card' aria-labelledby='connection-title'>
      <header className='card-header'>
        <h2 id='connection-title'>Connection</h2>
        {data?.mode === 'simulator' && <Badge tone='info'>Simulator</Badge>}
      </header>
      {health.isPending && <p className='muted'>Checking the connection to CUCM…</p>}
      {health.isError && <ErrorNotice error={health.error} title='Could not check the connection' />}
      {data !== undefined && (
        <>
          <div className='connection-status'>
            <span className={data.emapi.reachable ? 'status-dot status-dot-ok' : 'status-dot status-dot-bad'} aria-hidden='true' />
            <strong>{data.emapi.reachable ? 'EMAPI reachable' : 'EMAPI not reachable'}</strong>
          </div>
          <dl className='facts'>
            <div>
              <dt>{data.mode === 'simulator' ? 'Simulated CUCM' : 'CUCM'}</dt>
              <dd className='mono'>{data.cucm.host}:{data.cucm.port}</dd>
            </div>
            <div>
              <dt>Latency</dt>
              <dd>{data.emapi.latencyMs === null ? '—' : `${Math.round(data.emapi.latencyMs)} ms`}</dd>
            </div>
            <div>
              <dt>Last check</dt>
              <dd><time dateTime={data.emapi.checkedAt} title={formatDateTime(data.emapi.checkedAt)}>{formatRelative(data.emapi.checkedAt)}</time></dd>
            </div>
            <div>
              <dt>Version</dt>
              <dd>{data.version}</dd>
            </div>
          </dl>
          {data.emapi.error !== undefined && (
            <div className='notice notice-error notice-compact' role='status'>
              <p className='notice-message'>{data.emapi.error.message}</p>
              <p className='notice-meta'>
                <span className='code-chip'>{data.emapi.error.code}</span>
                {data.emapi.error.emapiCode !== undefined && <span className='code-chip'>EMAPI code {data.emapi.error.emapiCode}</span>}
              </p>
            </div>
          )}
          <button type='button' className='button button-ghost button-small' onClick={() => { health.refetch() }} disabled={health.isFetching}>
            {health.isFetching ? 'Checking…' : 'Check now'}
          </button>
        </>
      )}
    </section>
  )
}
