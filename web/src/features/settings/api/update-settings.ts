import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { Settings, SettingsUpdate } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'
import { settingsQueryKey } from '../../../lib/get-settings.ts'

/** Replaces the exemption list and the per-device logout list as a whole. */
export async function updateSettings (body: SettingsUpdate): Promise<Settings> {
  return await apiRequest<Settings>('/api/settings', { method: 'PUT', body })
}

export function useUpdateSettings () {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: updateSettings,
    onSuccess: async (saved) => {
      queryClient.setQueryData(settingsQueryKey, saved)
      await queryClient.invalidateQueries({ queryKey: ['audit'] })
    }
  })
}
