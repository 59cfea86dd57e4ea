import { queryOptions, useQuery } from '@tanstack/react-query'
import type { Settings } from '@em-console/shared/schemas'
import { apiRequest } from './api-client.ts'

// Here and not in the settings feature: schedules and logout-all read its device lists, and one
// query key for all of them is one cache entry, one request.
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

/** The names of Settings' device lists, in order: what a device-list schedule may pick. */
export function deviceListNamesQueryOptions () {
  return queryOptions({
    ...settingsQueryOptions(),
    select: (settings: Settings) => settings.deviceLists.map((list) => list.name)
  })
}

export function useDeviceListNames (enabled: boolean) {
  return useQuery({ ...deviceListNamesQueryOptions(), enabled })
}
