import { queryOptions, useQuery } from '@tanstack/react-query'
import type { UserDeviceProfiles } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

export async function getUserDeviceProfiles (userId: string, signal?: AbortSignal): Promise<UserDeviceProfiles> {
  return await apiRequest<UserDeviceProfiles>(`/api/users/${encodeURIComponent(userId)}/device-profiles`, { signal })
}

export function userDeviceProfilesQueryOptions (userId: string) {
  return queryOptions({
    queryKey: ['users', userId, 'device-profiles'] as const,
    queryFn: async ({ signal }) => await getUserDeviceProfiles(userId, signal),
    enabled: userId !== '',
    // Profiles change rarely; every look-up is an EMAPI query and an audit record.
    staleTime: 60_000
  })
}

export function useUserDeviceProfiles (userId: string) {
  return useQuery(userDeviceProfilesQueryOptions(userId))
}
