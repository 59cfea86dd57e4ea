import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useActionMutation } from '../../../lib/action-mutation.ts'
import type { Preview, RunBody, RunStarted } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

/** The per-device "log out all": the first device list of Settings, exemptions applied. */
const SAVED_LIST: RunBody = { action: 'logout', savedList: true }

export async function previewSavedList (): Promise<Preview> {
  return await apiRequest<Preview>('/api/runs/preview', { method: 'POST', body: SAVED_LIST })
}

/** The list previewed, by its name: another admin's reordering of Settings' lists since does not change what runs. */
export async function startSavedListRun (list: string): Promise<RunStarted> {
  return await apiRequest<RunStarted>('/api/runs', { method: 'POST', body: { action: 'logout', list } })
}

export function usePreviewSavedList () {
  return useMutation({ mutationFn: previewSavedList })
}

export function useStartSavedListRun () {
  const queryClient = useQueryClient()
  return useActionMutation({
    mutationFn: startSavedListRun,
    // A start whose answer was lost may have started the run: the list shows it if so.
    onSettled: async () => { await queryClient.invalidateQueries({ queryKey: ['runs'] }) }
  })
}
