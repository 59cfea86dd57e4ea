import { useQueryClient } from '@tanstack/react-query'
import { useActionMutation } from '../../../lib/action-mutation.ts'
import type { RunStarted } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'
import { runsQueryKey } from './get-runs.ts'
import { runRequestOptions, type RunRequest } from './preview-run.ts'

export interface StartRunRequest {
  request: RunRequest
  /** Re-check the devices this long after the run; 0 = no re-check (the server's default is 120). */
  verifyAfterSeconds: number
}

/** Starts a run; the server answers at once (202) with its id, and the run goes on in the background. */
export async function startRun ({ request, verifyAfterSeconds }: StartRunRequest): Promise<RunStarted> {
  const { url, options } = runRequestOptions('/api/runs', request, verifyAfterSeconds)
  return await apiRequest<RunStarted>(url, options)
}

export function useStartRun () {
  const queryClient = useQueryClient()
  return useActionMutation({
    mutationFn: startRun,
    // A start whose answer was lost may have started the run: the list shows it if so.
    onSettled: async () => { await queryClient.invalidateQueries({ queryKey: runsQueryKey }) }
  })
}
