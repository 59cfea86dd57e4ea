import { useMutation } from '@tanstack/react-query'
import type { Preview, RunAction, RunBody } from '@em-console/shared/schemas'
import { apiRequest, toQueryString } from '../../../lib/api-client.ts'

/**
 * What a run is made of: a JSON body, or CSV text (a file or pasted login lines) the server reads
 * row by row; `cluster`: only that cluster (the header's picker), in the body or, for CSV, the query.
 */
export type RunRequest =
  | { kind: 'json', body: RunBody, cluster?: string }
  | { kind: 'csv', action: RunAction, text: string, cluster?: string, /** The uploaded file's name, said in the run's title. */ file?: string }

/** The path and body of a run request; `verifyAfterSeconds` goes in the body or, for CSV, the query. */
export function runRequestOptions (path: string, request: RunRequest, verifyAfterSeconds?: number) {
  const { cluster } = request
  if (request.kind === 'json') {
    const body = { ...request.body, ...(verifyAfterSeconds === undefined ? {} : { verifyAfterSeconds }), ...(cluster === undefined ? {} : { cluster }) }
    return { url: path, options: { method: 'POST' as const, body } }
  }
  return {
    url: `${path}${toQueryString({ action: request.action, verifyAfterSeconds, cluster, file: request.file })}`,
    options: { method: 'POST' as const, text: { body: request.text, contentType: 'text/csv' } }
  }
}

/** Looks every device up and says what a run would do with it; bad CSV rows come back by line. */
export async function previewRun (request: RunRequest): Promise<Preview> {
  const { url, options } = runRequestOptions('/api/runs/preview', request)
  return await apiRequest<Preview>(url, options)
}

export function usePreviewRun () {
  return useMutation({ mutationFn: previewRun })
}
