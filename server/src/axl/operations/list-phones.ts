import type { AxlListing, AxlPhone, AxlRow } from '@em-console/shared/axl'
import type { AxlContext } from '../context.js'
import { badValue, countRows, fetchAllPages, orNull } from '../paging.js'
import { countPhonesQuery, phonesPageQuery } from '../queries.js'

/** Informix booleans answer `t` or `f`. */
function flag (column: string, value: string): boolean {
  const text = value.trim().toLowerCase()
  if (text === 't' || text === 'true' || text === '1') return true
  if (text === 'f' || text === 'false' || text === '0') return false
  throw badValue(column, value)
}

function toPhone (row: AxlRow): AxlPhone {
  return {
    name: row.name ?? '',
    model: orNull(row.model),
    description: row.description ?? '',
    devicePool: orNull(row.devicepool),
    emEnabled: flag('allowhotelingflag', row.allowhotelingflag ?? '')
  }
}

export async function countPhones (ctx: AxlContext): Promise<number> {
  return await countRows(ctx, countPhonesQuery())
}

/** Every phone of the cluster with its model, pool and EM flag, ordered by name. */
export async function listPhones (ctx: AxlContext, pageSize: number): Promise<AxlListing<AxlPhone>> {
  return await fetchAllPages(ctx, { count: countPhonesQuery(), page: phonesPageQuery, toItem: toPhone, key: (p) => p.name.toLowerCase() }, pageSize)
}
