import type { SessionFilters } from '@em-console/shared/schemas'

export type QueryParams = Record<string, string | number | boolean | readonly string[] | undefined>

/** A query string where a list repeats its key (`devicePool=A&devicePool=B`), as the API reads it. */
export function sessionsQueryString (params: QueryParams): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue
    if (Array.isArray(value)) for (const item of value as readonly string[]) search.append(key, item)
    else search.set(key, String(value))
  }
  const text = search.toString()
  return text === '' ? '' : `?${text}`
}

/** The filters as query parameters (same names as the API's). */
export function filterParams (filters: SessionFilters): QueryParams {
  return { ...filters }
}
