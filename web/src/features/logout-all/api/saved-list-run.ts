import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useActionMutation } from '../../../lib/action-mutation.ts'
import type { Preview, RunBody, RunStarted } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

/** The per-device "log out all": the first device list of Settings, exemptions applied. */
const SAVED_LIST: RunBody = { action: 'logout', savedList: true }

export async function previewSavedList (): Promise<Preview> {
  return await apiRequest<Preview>('/api/runs/preview', { method: 'POST', body: SAVED_LIST })
}

export async function startSavedListRun (): Promise<RunStarted> {
  return await apiRequest<RunStarted>('/api/runs', { method: 'POST', body: SAVED_LIST })
}

export function usePreviewSavedList () {
  return useMutation({ mutationFn: previewSavedList })
}

export function useStartSavedListRun () {
  const queryClient = useQueryClient()
  return useActionMutation({
    mutationFn: startSavedListRun,
    onSuccess: async () => { await queryClient.invalidateQueries({ queryKey: ['runs'] }) }
  })
}
