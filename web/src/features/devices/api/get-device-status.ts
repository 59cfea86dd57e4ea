import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query'
import type { DeviceStatusBody, DeviceStatusList } from '@em-console/shared/schemas'
import { apiRequest, toQueryString } from '../../../lib/api-client.ts'

/**
 * POST rather than GET ?names=: a pasted list of hundreds of names does not fit a URL. Without a
 * cluster the server asks every cluster and answers one entry per cluster where a name is found.
 */
export async function getDeviceStatus (names: string[], cluster?: string, signal?: AbortSignal): Promise<DeviceStatusList> {
  const body: DeviceStatusBody = { names }
  return await apiRequest<DeviceStatusList>(`/api/devices/status${toQueryString({ cluster })}`, { method: 'POST', body, signal })
}

export function deviceStatusQueryOptions (names: string[], cluster?: string) {
  return queryOptions({
    queryKey: ['devices', 'status', names, cluster ?? 'all'] as const,
    queryFn: async ({ signal }) => await getDeviceStatus(names, cluster, signal),
    enabled: names.length > 0,
    placeholderData: keepPreviousData
  })
}

export function useDeviceStatus (names: string[], cluster?: string) {
  return useQuery(deviceStatusQueryOptions(names, cluster))
}
