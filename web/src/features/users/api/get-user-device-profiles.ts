import { queryOptions, useQuery } from '@tanstack/react-query'
import type { UserDeviceProfiles } from '@em-console/shared/schemas'
import { apiRequest, toQueryString } from '../../../lib/api-client.ts'

/** Without a cluster: every cluster's profiles of the user, each tagged with its cluster. */
export async function getUserDeviceProfiles (userId: string, cluster?: string, signal?: AbortSignal): Promise<UserDeviceProfiles> {
  return await apiRequest<UserDeviceProfiles>(`/api/users/${encodeURIComponent(userId)}/device-profiles${toQueryString({ cluster })}`, { signal })
}

export function userDeviceProfilesQueryOptions (userId: string, cluster?: string) {
  return queryOptions({
    queryKey: ['users', userId, 'device-profiles', cluster ?? 'all'] as const,
    queryFn: async ({ signal }) => await getUserDeviceProfiles(userId, cluster, signal),
    enabled: userId !== '',
    // Profiles change rarely; every look-up is an EMAPI query and an audit record.
    staleTime: 60_000
  })
}

export function useUserDeviceProfiles (userId: string, cluster?: string) {
  return useQuery(userDeviceProfilesQueryOptions(userId, cluster))
}
