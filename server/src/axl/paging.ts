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
export async function countRows (ctx: AxlContext, query: SqlQuery, signal?: AbortSignal): Promise<number> {
  const [row] = await ctx.executeSqlQuery(query, signal)
  const total = (row?.total ?? '').trim()
  if (!/^\d+$/.test(total)) throw new AxlError('AXL_BAD_XML', `CUCM answered a row count that is not a number: "${total.slice(0, 40)}".`)
  return Number(total)
}

/**
 * The page size after a too-large answer: below what CUCM suggests (public tools take half of
 * it, PROTOCOL.md §2), or half the last size when it suggests nothing (our own size cap). Two
 * rows at least: each page after the first begins with the last row of the one before.
 */
function smallerPage (size: number, suggested: number | undefined): number {
  const next = suggested === undefined ? Math.floor(size / 2) : Math.min(size - 1, Math.floor(suggested / 2))
  return Math.max(MIN_PAGE, next)
}

const MIN_PAGE = 2
/**
 * Pages read again in a row because rows before them went away, at most, before the listing
 * fails. In a row, not in all: 20,000 sessions are 20 pages, and at a shift's end someone logs out
 * before nearly every one of them.
 */
const MAX_STEPS_BACK = 20

/**
 * A count first, then pages of `SKIP i FIRST k` in a stable order. A too-large answer shrinks the
 * page and the same offset is asked again; it surfaces only when a page of two rows is too large.
 * So does a page whose connection closed before any answer (after the count was answered): some
 * CUCM 12.5 nodes drop the connection instead of faulting (PROTOCOL.md §2), with or without a
 * first part of the answer.
 *
 * The rows change while they are paged (a user logs out at a phone: every later session moves up
 * one place), and a page at a fixed offset would then skip a row that was there all along. So each
 * page after the first begins with the last row already read; one that begins with a row not read
 * yet (rows before it went away) is read again 2 rows earlier, then 4, 8, ... more (a page at most),
 * until one begins with a row already read. Only a row that came since the listing began can then
 * be missed, never one that was there before it. Steps back in a row end once the listing has
 * moved on by half a page past where it had been: rows that go faster than that fail it.
 */
export async function fetchAllPages<T> (ctx: AxlContext, listing: PagedListing<T>, pageSize: number, signal?: AbortSignal): Promise<AxlListing<T>> {
  const counted = await countRows(ctx, listing.count, signal)
  let requests = 1
  const items = new Map<string, T>()
  let size = Math.max(MIN_PAGE, pageSize)
  let skip = 0
  let stepsBack = 0
  /** The furthest offset reached: steps back in a row end only once the listing moved past it by half a page. */
  let furthest = 0
  // None counted: no pages (one that came since is read at the next listing).
  for (let more = counted > 0; more;) {
    let rows: AxlRow[]
    try {
      requests++
      rows = await ctx.executeSqlQuery(listing.page(skip, size), signal)
    } catch (error) {
      const tooLarge = isAxlError(error, 'AXL_TOO_LARGE')
      if (!(tooLarge || droppedBeforeAnswer(error)) || size === MIN_PAGE) throw error
      size = smallerPage(size, tooLarge ? error.suggestedRows : undefined)
      continue
    }
    const page = rows.map((row) => listing.toItem(row))
    const first = page[0]
    if (skip > 0 && (first === undefined || !items.has(listing.key(first)))) {
      if (++stepsBack > MAX_STEPS_BACK) {
        throw new AxlError('AXL_CHANGING', `CUCM's rows changed while they were read: ${MAX_STEPS_BACK} pages in a row did not begin where the page before ended.`)
      }
      skip = Math.max(0, skip - Math.min(size - 1, 2 ** stepsBack))
      continue
    }
    for (const item of page) {
      const key = listing.key(item)
      if (!items.has(key)) items.set(key, item)
    }
    // A short page is the end. Not the count: rows that came since it moved the later ones down.
    more = rows.length === size
    skip += rows.length - 1
    if ((skip - furthest) * 2 >= size) stepsBack = 0
    furthest = Math.max(furthest, skip)
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
