import { queryOptions, useQuery } from '@tanstack/react-query'
import type { UserDevices } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

export async function getUserDevices (userId: string, signal?: AbortSignal): Promise<UserDevices> {
  return await apiRequest<UserDevices>(`/api/users/${encodeURIComponent(userId)}/devices`, { signal })
}

export function userDevicesQueryOptions (userId: string) {
  return queryOptions({
    queryKey: ['users', userId, 'devices'] as const,
    queryFn: async ({ signal }) => await getUserDevices(userId, signal),
    enabled: userId !== ''
  })
}

export function useUserDevices (userId: string) {
  return useQuery(userDevicesQueryOptions(userId))
}
