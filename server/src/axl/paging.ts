import { AxlError, isAxlError, type AxlListing, type AxlRow } from '@em-console/shared/axl'
import type { AxlContext } from './context.js'
import { droppedBeforeAnswer } from './transport.js'
import type { SqlQuery } from './queries.js'

export interface PagedListing<T> {
  count: SqlQuery
  page: (skip: number, first: number) => SqlQuery
  toItem: (row: AxlRow) => T
  /** The stable key the pages are ordered by; a row seen twice (data moved between pages) is kept once. */
  key: (item: T) => string
}

/** Reads the number from `SELECT COUNT(*) AS total`. */
export async function countRows (ctx: AxlContext, query: SqlQuery): Promise<number> {
  const [row] = await ctx.executeSqlQuery(query)
  const total = (row?.total ?? '').trim()
  if (!/^\d+$/.test(total)) throw new AxlError('AXL_BAD_XML', `CUCM answered a row count that is not a number: "${total.slice(0, 40)}".`)
  return Number(total)
}

/**
 * The page size after a too-large answer: below what CUCM suggests (public tools take half of
 * it, PROTOCOL.md §2), or half the last size when it suggests nothing (our own size cap).
 */
function smallerPage (size: number, suggested: number | undefined): number {
  const next = suggested === undefined ? Math.floor(size / 2) : Math.min(size - 1, Math.floor(suggested / 2))
  return Math.max(1, next)
}

/**
 * A count first, then pages of `SKIP i FIRST k` in a stable order. A too-large answer shrinks the
 * page and the same offset is asked again; it surfaces only when a page of one row is too large.
 * So does a page whose connection closed before any answer (after the count was answered): some
 * CUCM 12.5 nodes drop the connection instead of faulting (PROTOCOL.md §2), with or without a
 * first part of the answer.
 */
export async function fetchAllPages<T> (ctx: AxlContext, listing: PagedListing<T>, pageSize: number): Promise<AxlListing<T>> {
  const counted = await countRows(ctx, listing.count)
  let requests = 1
  const items = new Map<string, T>()
  let size = pageSize
  let offset = 0
  while (offset < counted) {
    let rows: AxlRow[]
    try {
      requests++
      rows = await ctx.executeSqlQuery(listing.page(offset, size))
    } catch (error) {
      const tooLarge = isAxlError(error, 'AXL_TOO_LARGE')
      if (!(tooLarge || droppedBeforeAnswer(error)) || size === 1) throw error
      size = smallerPage(size, tooLarge ? error.suggestedRows : undefined)
      continue
    }
    for (const row of rows) {
      const item = listing.toItem(row)
      const key = listing.key(item)
      if (!items.has(key)) items.set(key, item)
    }
    offset += rows.length
    // A short page is the end, even if rows went away since the count.
    if (rows.length < size) break
  }
  return { rows: [...items.values()], counted, version: ctx.version, pageSize: size, requests }
}

/** Text that CUCM returns as an empty element for NULL: null when empty. */
export function orNull (value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value
}

export function badValue (column: string, value: string): AxlError {
  return new AxlError('AXL_BAD_XML', `CUCM answered an unexpected value in column "${column}": "${value.slice(0, 40)}".`)
}
