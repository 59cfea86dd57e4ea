import type { AxlListing, AxlPhone, AxlRow } from '@em-console/shared/axl'
import type { AxlContext } from '../context.js'
import { countRows, fetchAllPages, orNull } from '../paging.js'
import { countPhonesQuery, phonesPageQuery } from '../queries.js'

/**
 * Extension Mobility is enabled on a phone whose flag is `t` (PROTOCOL.md §3; an Informix boolean,
 * also read as true or 1). Anything else, NULL (an empty element) included, is not enabled: one
 * odd phone must not fail the whole inventory.
 */
function emEnabled (value: string | undefined): boolean {
  const text = (value ?? '').trim().toLowerCase()
  return text === 't' || text === 'true' || text === '1'
}

function toPhone (row: AxlRow): AxlPhone {
  return {
    name: row.name ?? '',
    model: orNull(row.model),
    description: row.description ?? '',
    devicePool: orNull(row.devicepool),
    emEnabled: emEnabled(row.allowhotelingflag)
  }
}

export async function countPhones (ctx: AxlContext): Promise<number> {
  return await countRows(ctx, countPhonesQuery())
}

/** Every phone of the cluster with its model, pool and EM flag, ordered by name. */
export async function listPhones (ctx: AxlContext, pageSize: number, signal?: AbortSignal): Promise<AxlListing<AxlPhone>> {
  return await fetchAllPages(ctx, { count: countPhonesQuery(), page: phonesPageQuery, toItem: toPhone, key: (p) => p.name.toLowerCase() }, pageSize, signal)
}
