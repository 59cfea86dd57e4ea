import { queryOptions, useQuery } from '@tanstack/react-query'
import type { UserDevices } from '@em-console/shared/schemas'
import { apiRequest, toQueryString } from '../../../lib/api-client.ts'

/** Without a cluster: every cluster, merged; `located` says which cluster each device is on. */
export async function getUserDevices (userId: string, cluster?: string, signal?: AbortSignal): Promise<UserDevices> {
  return await apiRequest<UserDevices>(`/api/users/${encodeURIComponent(userId)}/devices${toQueryString({ cluster })}`, { signal })
}

export function userDevicesQueryOptions (userId: string, cluster?: string) {
  return queryOptions({
    queryKey: ['users', userId, 'devices', cluster ?? 'all'] as const,
    queryFn: async ({ signal }) => await getUserDevices(userId, cluster, signal),
    enabled: userId !== ''
  })
}

export function useUserDevices (userId: string, cluster?: string) {
  return useQuery(userDevicesQueryOptions(userId, cluster))
}
