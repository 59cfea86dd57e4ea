import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query'
import type { DeviceStatusBody, DeviceStatusList } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

/** POST rather than GET ?names=: a pasted list of hundreds of names does not fit a URL. */
export async function getDeviceStatus (names: string[], signal?: AbortSignal): Promise<DeviceStatusList> {
  const body: DeviceStatusBody = { names }
  return await apiRequest<DeviceStatusList>('/api/devices/status', { method: 'POST', body, signal })
}

export function deviceStatusQueryOptions (names: string[]) {
  return queryOptions({
    queryKey: ['devices', 'status', names] as const,
    queryFn: async ({ signal }) => await getDeviceStatus(names, signal),
    enabled: names.length > 0,
    placeholderData: keepPreviousData
  })
}

export function useDeviceStatus (names: string[]) {
  return useQuery(deviceStatusQueryOptions(names))
}
