import type { InventoryCluster, InventoryStatus as Status } from '@em-console/shared/schemas'
import { Badge } from '../../../components/badge.tsx'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { QuietAge } from '../../../components/quiet-age.tsx'
import { useHasRole } from '../../../lib/authorization.tsx'
import { clusterLabel, useClusterScope } from '../../../lib/cluster.tsx'
import { formatAgo, formatDateTime } from '../../../lib/format.ts'
import { useRefreshInventory } from '../api/get-inventory.ts'
import { useNow } from '../../../lib/use-now.ts'

/** What to configure when a cluster has no AXL settings: the keys and the CUCM roles, in the server's words. */
export function InventorySetup ({ cluster }: { cluster: InventoryCluster }) {
  const scope = useClusterScope()
  if (cluster.setup === null) return null
  return (
    <div className='notice notice-warn' role='note'>
      <p className='notice-title'>The live sessions{scope.several && ` of ${clusterLabel(scope.clusters, cluster.cluster)}`} need read-only AXL access</p>
      <p className='notice-message'>{cluster.setup.message}</p>
      <p className='notice-action'><strong>Settings: </strong>{cluster.setup.keys.map((key) => <code key={key} className='code-chip'>{key}</code>)}</p>
      <p className='notice-action'><strong>CUCM roles of the AXL user: </strong>{cluster.setup.roles.join(' + ')}</p>
    </div>
  )
}

const STATE_BADGES: Partial<Record<InventoryCluster['state'], { tone: 'warn' | 'bad', label: string }>> = {
  stale: { tone: 'warn', label: 'Stale' },
  error: { tone: 'bad', label: 'Not read' }
}

/**
 * "As of 2 min ago", or why the inventory is older than that, for one cluster; marked Stale when
 * its last refresh failed, wherever its counts are shown (they are not current then). `live`: in
 * a live region, where the age is not to be heard at every tick (QuietAge).
 */
export function AsOf ({ cluster, now, live = false }: { cluster: InventoryCluster, now: number, live?: boolean }) {
  const badge = STATE_BADGES[cluster.state]
  const marked = badge === undefined ? null : <> <Badge tone={badge.tone}>{badge.label}</Badge></>
  if (cluster.asOf === null) return <span className='muted'>{cluster.state === 'refreshing' ? 'Reading the inventory from CUCM…' : 'Not read yet'}{marked}</span>
  return (
    <span>
      As of {live ? <QuietAge at={cluster.asOf} now={now} /> : <time dateTime={cluster.asOf} title={formatDateTime(cluster.asOf)}>{formatAgo(cluster.asOf, now)}</time>}
      {cluster.state === 'refreshing' && <span className='muted'> · refreshing…</span>}
      {marked}
    </span>
  )
}

/**
 * Why each cluster's inventory is not current, and what to do: wherever its counts are marked
 * Stale or Not read, the reason is beside them.
 */
export function InventoryErrors ({ clusters, several }: { clusters: InventoryCluster[], several: boolean }) {
  const scope = useClusterScope()
  return clusters.filter((c) => c.lastError !== null).map((cluster) => (
    <div key={cluster.cluster} className={cluster.state === 'error' ? 'notice notice-error notice-compact' : 'notice notice-warn notice-compact'} role='alert'>
      <p className='notice-title'>
        {cluster.asOf === null ? 'The inventory could not be read from CUCM' : `The last refresh failed: showing the inventory as of ${formatDateTime(cluster.asOf)}`}
        {several && ` (${clusterLabel(scope.clusters, cluster.cluster)})`}
      </p>
      <p className='notice-message'>{cluster.lastError?.message}</p>
      <p className='notice-action'><strong>What to do: </strong>{cluster.lastError?.action}</p>
    </div>
  ))
}

/** The inventory's state per cluster, with a Refresh button for operators. */
export function InventoryStatusBar ({ inventory, label = 'Sessions' }: { inventory: Status | undefined, label?: string }) {
  const now = useNow()
  const scope = useClusterScope()
  const refresh = useRefreshInventory()
  const canOperate = useHasRole('operator')
  if (inventory === undefined) return null
  const configured = inventory.clusters.filter((c) => c.state !== 'not-configured')
  const several = inventory.clusters.length > 1
  return (
    <div className='inventory-status'>
      {inventory.clusters.filter((c) => c.state === 'not-configured').map((cluster) => <InventorySetup key={cluster.cluster} cluster={cluster} />)}
      {configured.length > 0 && (
        <div className='inventory-status-line'>
          <p className='inventory-as-of' aria-live='polite'>
            {configured.map((cluster) => (
              <span key={cluster.cluster} className='inventory-cluster'>
                {several && <strong>{clusterLabel(scope.clusters, cluster.cluster)}: </strong>}
                <AsOf cluster={cluster} now={now} live />
              </span>
            ))}
          </p>
          {canOperate && (
            <button type='button' className='button button-small' onClick={() => refresh.mutate()} disabled={refresh.isPending} aria-label={`Refresh ${label.toLowerCase()} from CUCM`}>
              {refresh.isPending ? 'Refreshing…' : 'Refresh'}
            </button>
          )}
        </div>
      )}
      <InventoryErrors clusters={configured} several={several} />
      {refresh.isError && <ErrorNotice error={refresh.error} title='Could not refresh the inventory' compact />}
    </div>
  )
}
