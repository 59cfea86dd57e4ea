import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AxlError, type AxlRow } from '@em-console/shared/axl'
import type { AxlContext } from '../src/axl/context.ts'
import { fetchAllPages, type PagedListing } from '../src/axl/paging.ts'

const name = (i: number): string => `SEP${String(i).padStart(12, '0')}`

/**
 * A CUCM whose current sessions, ordered by device, change before each page after the first
 * (`change`: the names, and the SKIP asked, to the names then); `asked` records each page's SKIP.
 */
function busyCucm (rows: number, change: (names: string[], skip: number) => string[]): { ctx: AxlContext, listing: PagedListing<string>, left: () => string[], asked: number[] } {
  let names = Array.from({ length: rows }, (_, i) => name(i))
  const asked: number[] = []
  const ctx: AxlContext = {
    version: '14.0',
    executeSqlQuery: async (query) => {
      if (query.sql === 'count') return [{ total: String(names.length) }]
      const [skip, first] = JSON.parse(query.sql) as [number, number]
      asked.push(skip)
      if (skip > 0) names = change(names, skip)
      return names.slice(skip, skip + first).map((device): AxlRow => ({ device }))
    }
  }
  const listing: PagedListing<string> = {
    count: { sql: 'count', columns: ['total'] },
    page: (skip, first) => ({ sql: JSON.stringify([skip, first]), columns: ['device'] }),
    toItem: (row) => row.device ?? '',
    key: (name) => name.toLowerCase()
  }
  return { ctx, listing, left: () => names, asked }
}

test('a large cluster whose users log out while its sessions are paged is read to the end: every page may begin a few rows on, and each is asked again only a few rows back', async () => {
  // 3,000 sessions in 31 pages of 100; before every page after the first, one user earlier in name order logs out.
  const cucm = busyCucm(3000, (names, skip) => names.filter((_, i) => i !== skip - 2))
  const listing = await fetchAllPages(cucm.ctx, cucm.listing, 100)
  // Every session still there at the end was read (and those that left after they were read).
  const read = new Set(listing.rows)
  assert.ok(cucm.left().every((name) => read.has(name)))
  // A page asked again is asked one row back, not a whole page back.
  const again = cucm.asked.filter((skip, i) => i > 0 && skip < (cucm.asked[i - 1] as number))
  assert.ok(again.length > 20, `${again.length} pages asked again`)
  assert.ok(cucm.asked.length < 2.2 * 31, `${cucm.asked.length} pages asked`)
})

test('rows that change faster than they can be paged end the listing with AXL_CHANGING', async () => {
  // Before every page, more users leave (the first in name order) than a page holds, and as many log in (last in name order).
  let next = 3000
  const cucm = busyCucm(3000, (names) => [...names.slice(150), ...Array.from({ length: 150 }, () => name(next++))])
  await assert.rejects(fetchAllPages(cucm.ctx, cucm.listing, 100), (error: unknown) => error instanceof AxlError && error.code === 'AXL_CHANGING')
})

test('a row count that is not a number fails the listing (AXL_BAD_XML), not reads as a cluster with no sessions', async () => {
  const cucm = busyCucm(10, (names) => names)
  const ctx: AxlContext = { ...cucm.ctx, executeSqlQuery: async (query, signal) => query.sql === 'count' ? [{ total: 'n/a' }] : await cucm.ctx.executeSqlQuery(query, signal) }
  await assert.rejects(fetchAllPages(ctx, cucm.listing, 100), (error: unknown) => error instanceof AxlError && error.code === 'AXL_BAD_XML' && /"n\/a"/.test(error.message))
  assert.deepEqual(cucm.asked, [], 'no page asked')
})

test('a page CUCM finds too large is made smaller even when its suggestion is larger than the page: the listing ends', async () => {
  // CUCM refuses pages of more than 40 rows, suggesting far more than that (its answer is an estimate).
  const cucm = busyCucm(100, (names) => names)
  const sizes: number[] = []
  const ctx: AxlContext = {
    ...cucm.ctx,
    executeSqlQuery: async (query, signal) => {
      if (query.sql !== 'count') {
        const [, first] = JSON.parse(query.sql) as [number, number]
        sizes.push(first)
        if (sizes.length > 200) throw new Error(`${sizes.length} pages asked: ${sizes.slice(0, 10).join(', ')} ...`)
        if (first > 40) throw new AxlError('AXL_TOO_LARGE', 'Query request too large.', { suggestedRows: 1000 })
      }
      return await cucm.ctx.executeSqlQuery(query, signal)
    }
  }
  const listing = await fetchAllPages(ctx, cucm.listing, 50)
  assert.equal(listing.rows.length, 100)
  assert.deepEqual(sizes.slice(0, 3), [50, 49, 48], 'each refusal one row smaller, never larger')
})

test('a page too large even at the smallest size ends the listing with AXL_TOO_LARGE, not asked again for ever', async () => {
  const cucm = busyCucm(10, (names) => names)
  const sizes: number[] = []
  const ctx: AxlContext = {
    ...cucm.ctx,
    executeSqlQuery: async (query, signal) => {
      if (query.sql === 'count') return await cucm.ctx.executeSqlQuery(query, signal)
      sizes.push((JSON.parse(query.sql) as [number, number])[1])
      if (sizes.length > 50) throw new Error(`${sizes.length} pages asked: ... ${sizes.slice(-5).join(', ')}`)
      throw new AxlError('AXL_TOO_LARGE', 'Query request too large.')
    }
  }
  await assert.rejects(fetchAllPages(ctx, cucm.listing, 16), (error: unknown) => error instanceof AxlError && error.code === 'AXL_TOO_LARGE')
  assert.deepEqual(sizes, [16, 8, 4, 2])
})
