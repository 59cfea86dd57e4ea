import { useId } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import type { ClusterHealth, Health } from '@em-console/shared/schemas'
import { Badge } from '../../../components/badge.tsx'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { formatAgo, formatDateTime } from '../../../lib/format.ts'
import { emapiProblem } from '../../../lib/emapi-health.ts'
import { checkHealthNow, useHealth } from '../../../lib/get-health.ts'

/**
 * The connection to CUCM: one card, as before clusters, or one card per enabled cluster when
 * there are several (issue #17). Every card re-checks them all: /api/health asks every cluster at once.
 */
export function ConnectionCard () {
  const health = useHealth()
  const data = health.data
  const clusters = data?.clusters ?? []
  if (data !== undefined && clusters.length > 1) {
    return (
      <div className='stack'>
        {clusters.map((cluster) => <ClusterConnection key={cluster.id} data={data} cluster={cluster} health={health} />)}
      </div>
    )
  }

  return (
    <section className='card' aria-labelledby='connection-title'>
      <header className='card-header'>
        <h2 id='connection-title'>Connection</h2>
        {data?.mode === 'simulator' && <Badge tone='info'>Simulator</Badge>}
      </header>
      {health.isPending && <p className='muted'>Checking the connection to CUCM…</p>}
      {health.isError && <ErrorNotice error={health.error} title='Could not check the connection' />}
      {data !== undefined && <ConnectionFacts data={data} cluster={{ cucm: data.cucm, emapi: data.emapi }} health={health} />}
    </section>
  )
}

function ClusterConnection ({ data, cluster, health }: { data: Health, cluster: ClusterHealth, health: ReturnType<typeof useHealth> }) {
  const titleId = useId()
  return (
    <section className='card' aria-labelledby={titleId}>
      <header className='card-header'>
        <h2 id={titleId}>Connection: {cluster.name}</h2>
        {cluster.simulated && <Badge tone='info'>Simulator</Badge>}
      </header>
      {health.isError && <ErrorNotice error={health.error} title='Could not check the connection' />}
      <ConnectionFacts data={data} cluster={cluster} health={health} clusterId={cluster.id} />
    </section>
  )
}

interface ConnectionFactsProps {
  data: Health
  cluster: Pick<ClusterHealth, 'cucm' | 'emapi'> & { simulated?: boolean, name?: string }
  health: ReturnType<typeof useHealth>
  /** With several clusters: said under the status, so two cards with the same host tell apart. */
  clusterId?: string
}

function ConnectionFacts ({ data, cluster, health, clusterId }: ConnectionFactsProps) {
  const queryClient = useQueryClient()
  const emapi = cluster.emapi
  const checking = emapi.checking === true
  const status = checking ? 'Checking EMAPI…' : emapi.reachable ? 'EMAPI reachable' : `EMAPI ${emapiProblem(emapi)}`
  // The server did not answer this check: what it said before is the last known, not the state now.
  const stale = health.isError
  return (
    <>
      {/* A live region (read whole): a screen reader hears "Checking EMAPI…" turn into the answer, or a cluster go down, and which cluster. */}
      <div className='connection-status' role='status'>
        <span className={stale || checking ? 'status-dot' : emapi.reachable ? 'status-dot status-dot-ok' : 'status-dot status-dot-bad'} aria-hidden='true' />
        {cluster.name !== undefined && <span className='visually-hidden'>{cluster.name}: </span>}
        <strong>{stale ? `At the last check: ${status}` : status}</strong>
      </div>
      <dl className='facts'>
        {clusterId !== undefined && (
          <div>
            <dt>Cluster id</dt>
            <dd className='mono'>{clusterId}</dd>
          </div>
        )}
        <div>
          <dt>{(cluster.simulated ?? data.mode === 'simulator') ? 'Simulated CUCM' : 'CUCM'}</dt>
          <dd className='mono'>{cluster.cucm.host}:{cluster.cucm.port}</dd>
        </div>
        <div>
          <dt>Latency</dt>
          <dd>{emapi.latencyMs === null ? '—' : `${Math.round(emapi.latencyMs)} ms`}</dd>
        </div>
        <div>
          <dt>Last check</dt>
          <dd>{checking ? 'Waiting for CUCM\'s first answer' : <time dateTime={emapi.checkedAt} title={formatDateTime(emapi.checkedAt)}>{formatAgo(emapi.checkedAt)}</time>}</dd>
        </div>
        <div>
          {/* EM Console's own version: CUCM's is not known to EMAPI. */}
          <dt>EM Console</dt>
          <dd>{data.version}</dd>
        </div>
      </dl>
      {emapi.error !== undefined && (
        <div className='notice notice-error notice-compact' role='status'>
          <p className='notice-message'>{emapi.error.message}</p>
          {emapi.error.action !== undefined && <p className='notice-action'><strong>What to do: </strong>{emapi.error.action}</p>}
          <p className='notice-meta'>
            <span className='code-chip'>{emapi.error.code}</span>
            {emapi.error.emapiCode !== undefined && <span className='code-chip'>EMAPI code {emapi.error.emapiCode}</span>}
          </p>
        </div>
      )}
      <button
        type='button'
        className='button button-ghost button-small'
        // Its failure shows as the health query's own error.
        onClick={() => { checkHealthNow(queryClient).catch(() => {}) }}
        disabled={health.isFetching}
        // Several cards, several buttons: each says which cluster it checks (they all re-read every one).
        aria-label={clusterId === undefined ? undefined : `${health.isFetching ? 'Checking…' : 'Check now'} (${clusterId})`}
      >
        {health.isFetching ? 'Checking…' : 'Check now'}
      </button>
    </>
  )
}
