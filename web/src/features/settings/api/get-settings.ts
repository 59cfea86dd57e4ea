import { queryOptions, useQuery } from '@tanstack/react-query'
import type { Settings } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

export const settingsQueryKey = ['settings'] as const

export async function getSettings (signal?: AbortSignal): Promise<Settings> {
  return await apiRequest<Settings>('/api/settings', { signal })
}

export function settingsQueryOptions () {
  return queryOptions({
    queryKey: settingsQueryKey,
    queryFn: async ({ signal }) => await getSettings(signal)
  })
}

export function useSettings () {
  return useQuery(settingsQueryOptions())
}
