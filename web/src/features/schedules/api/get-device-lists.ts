import { queryOptions, useQuery } from '@tanstack/react-query'
import type { Settings } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

/** Shared with the settings feature's own read of GET /api/settings: one cache entry, one request. */
const settingsQueryKey = ['settings'] as const

/** The names of Settings' device lists, in order: what a device-list schedule may pick. */
export function deviceListNamesQueryOptions () {
  return queryOptions({
    queryKey: settingsQueryKey,
    queryFn: async ({ signal }) => await apiRequest<Settings>('/api/settings', { signal }),
    select: (settings: Settings) => settings.deviceLists.map((list) => list.name)
  })
}

export function useDeviceListNames (enabled: boolean) {
  return useQuery({ ...deviceListNamesQueryOptions(), enabled })
}
