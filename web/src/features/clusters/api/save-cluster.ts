import { useQueryClient } from '@tanstack/react-query'
import type { Cluster, CreateClusterBody, UpdateClusterBody } from '@em-console/shared/schemas'
import { useActionMutation } from '../../../lib/action-mutation.ts'
import { apiRequest } from '../../../lib/api-client.ts'
import { clustersQueryKey } from './get-clusters.ts'

export async function createCluster (body: CreateClusterBody): Promise<Cluster> {
  return await apiRequest<Cluster>('/api/clusters', { method: 'POST', body })
}

export async function updateCluster ({ id, body }: { id: string, body: UpdateClusterBody }): Promise<Cluster> {
  return await apiRequest<Cluster>(`/api/clusters/${encodeURIComponent(id)}`, { method: 'PATCH', body })
}

export async function deleteCluster (id: string): Promise<void> {
  await apiRequest<undefined>(`/api/clusters/${encodeURIComponent(id)}`, { method: 'DELETE' })
}

/** After any change the list, the health card and the header's picker read the clusters again. */
function useInvalidate () {
  const queryClient = useQueryClient()
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: clustersQueryKey }),
      queryClient.invalidateQueries({ queryKey: ['health'] }),
      queryClient.invalidateQueries({ queryKey: ['audit'] })
    ])
  }
}

// A double click sent a change twice: the second was refused (the id taken, the cluster gone)
// under a dialog whose change had been made.
export function useCreateCluster () {
  const invalidate = useInvalidate()
  return useActionMutation({ mutationFn: createCluster, onSuccess: invalidate })
}

export function useUpdateCluster () {
  const invalidate = useInvalidate()
  return useActionMutation({ mutationFn: updateCluster, onSuccess: invalidate })
}

export function useDeleteCluster () {
  const invalidate = useInvalidate()
  return useActionMutation({ mutationFn: deleteCluster, onSuccess: invalidate })
}
