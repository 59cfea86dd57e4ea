import type { AxlListing, AxlRow, AxlSession } from '@em-console/shared/axl'
import type { AxlContext } from '../context.js'
import { badValue, countRows, fetchAllPages, orNull } from '../paging.js'
import { countSessionsQuery, sessionsPageQuery } from '../queries.js'

/** Whole seconds as CUCM stores them; '' (NULL) is null. */
function seconds (column: string, value: string): number | null {
  const text = value.trim()
  if (text === '') return null
  if (!/^\d{1,12}$/.test(text)) throw badValue(column, value)
  return Number(text)
}

/**
 * What loginduration holds when there is no maximum is not known (PROTOCOL.md §3): 0 and NULL mean
 * none, and so does any value that is not a positive number of seconds (-1, say), rather than fail
 * the whole listing over one session's auto-logout time.
 */
function maximumSeconds (value: string | undefined): number | null {
  const text = (value ?? '').trim()
  return /^\d{1,12}$/.test(text) && Number(text) > 0 ? Number(text) : null
}

function toSession (row: AxlRow): AxlSession {
  const login = seconds('logintime', row.logintime ?? '')
  const duration = maximumSeconds(row.loginduration)
  return {
    deviceName: row.device ?? '',
    userId: row.userid ?? '',
    profile: orNull(row.profile),
    loginTime: login === null ? null : new Date(login * 1000).toISOString(),
    loginDurationSeconds: duration,
    devicePool: orNull(row.devicepool),
    model: orNull(row.model),
    description: row.description ?? ''
  }
}

export async function countSessions (ctx: AxlContext): Promise<number> {
  return await countRows(ctx, countSessionsQuery())
}

/** Every current EM login of the cluster, ordered by device name. */
export async function listSessions (ctx: AxlContext, pageSize: number, signal?: AbortSignal): Promise<AxlListing<AxlSession>> {
  return await fetchAllPages(ctx, { count: countSessionsQuery(), page: sessionsPageQuery, toItem: toSession, key: (s) => s.deviceName.toLowerCase() }, pageSize, signal)
}
