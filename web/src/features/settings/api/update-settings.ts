import { useQueryClient } from '@tanstack/react-query'
import type { Settings, SettingsUpdate } from '@em-console/shared/schemas'
import { useActionMutation } from '../../../lib/action-mutation.ts'
import { apiRequest } from '../../../lib/api-client.ts'
import { settingsQueryKey } from '../../../lib/get-settings.ts'

/** Replaces the exemption list and the per-device logout list as a whole. */
export async function updateSettings (body: SettingsUpdate): Promise<Settings> {
  return await apiRequest<Settings>('/api/settings', { method: 'PUT', body })
}

export function useUpdateSettings () {
  const queryClient = useQueryClient()
  // Sent once however often it is clicked: a second copy, of the same revision, is refused as
  // saved by someone else first, and its error would hide the save just made.
  return useActionMutation({
    mutationFn: updateSettings,
    onSuccess: async (saved) => {
      queryClient.setQueryData(settingsQueryKey, saved)
      await queryClient.invalidateQueries({ queryKey: ['audit'] })
    }
  })
}
