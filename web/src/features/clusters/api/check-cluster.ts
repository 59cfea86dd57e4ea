import { useMutation } from '@tanstack/react-query'
import type { ClusterCheck, CreateClusterBody, UpdateClusterBody } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

/** The connection checks: of a saved cluster (with changes not saved yet), or of a new one. Changes nothing. */
export type CheckRequest = { id: string, changes: UpdateClusterBody } | { body: CreateClusterBody }

export async function checkCluster (request: CheckRequest): Promise<ClusterCheck> {
  if ('body' in request) return await apiRequest<ClusterCheck>('/api/clusters/check', { method: 'POST', body: request.body })
  return await apiRequest<ClusterCheck>(`/api/clusters/${encodeURIComponent(request.id)}/check`, { method: 'POST', body: request.changes })
}

export function useCheckCluster () {
  return useMutation({ mutationFn: checkCluster })
}
