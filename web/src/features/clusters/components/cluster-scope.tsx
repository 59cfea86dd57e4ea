import { useId, useMemo, type ReactNode } from 'react'
import { ALL_CLUSTERS, ClusterScopeProvider, useClusterScope, type ClusterOption } from '../../../lib/cluster.tsx'
import { useClusters } from '../api/get-clusters.ts'

/** The cluster scope of the signed-in dashboard, from the usable clusters the server lists. */
export function ClusterScope ({ children }: { children: ReactNode }) {
  const clusters = useClusters()
  const list = clusters.data?.clusters
  const options = useMemo((): ClusterOption[] => (list ?? [])
    .filter((c) => c.enabled && c.problem === null)
    .map((c) => ({ id: c.id, name: c.name })), [list])
  const listed = useMemo((): ClusterOption[] => (list ?? []).map((c) => ({ id: c.id, name: c.name })), [list])
  return <ClusterScopeProvider clusters={options} listed={listed} known={!clusters.isPending}>{children}</ClusterScopeProvider>
}

/** The header's cluster picker: shown with two clusters or more (with one there is nothing to pick). */
export function ClusterPicker () {
  const scope = useClusterScope()
  const id = useId()
  if (!scope.several) return null
  return (
    <div className='cluster-picker'>
      <label className='cluster-picker-label' htmlFor={id}>Cluster</label>
      <select id={id} className='input input-compact' value={scope.selected} onChange={(event) => scope.select(event.target.value)}>
        <option value={ALL_CLUSTERS}>All clusters</option>
        {scope.clusters.map((cluster) => <option key={cluster.id} value={cluster.id}>{cluster.name}</option>)}
      </select>
    </div>
  )
}

/**
 * Said above a page when the cluster this browser chose in the header is disabled or unusable
 * now: the page shows every cluster, which a glance at the header would not tell.
 */
export function ClusterFallback () {
  const { unusable } = useClusterScope()
  if (unusable === undefined) return null
  return (
    <div className='notice notice-warn notice-compact' role='status'>
      <p className='notice-message'>{unusable.name}, the cluster chosen in the header, is disabled or cannot be used now: every cluster is shown. Choose another in the header, or see Settings › Clusters.</p>
    </div>
  )
}
