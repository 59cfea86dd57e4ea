import { queryOptions, useQuery } from '@tanstack/react-query'
import type { AuditRecord } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

export async function getAuditRecord (id: number, signal?: AbortSignal): Promise<AuditRecord> {
  return await apiRequest<AuditRecord>(`/api/audit/${id}`, { signal })
}

export function auditRecordQueryOptions (id: number | undefined) {
  return queryOptions({
    queryKey: ['audit', 'record', id] as const,
    queryFn: async ({ signal }) => await getAuditRecord(id ?? 0, signal),
    enabled: id !== undefined,
    // A running action's record changes when it finishes; a finished one never changes again.
    refetchInterval: (query) => query.state.data?.outcome === 'pending' ? 2000 : false
  })
}

export function useAuditRecord (id: number | undefined) {
  return useQuery(auditRecordQueryOptions(id))
}
