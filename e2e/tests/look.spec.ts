import type { Locator } from '@playwright/test'
import { expect, test } from '../fixtures.ts'

// What an administrator sees at a glance: text that reads, lines that line up, nothing squeezed.

async function box (locator: Locator): Promise<{ x: number, y: number, width: number, height: number }> {
  const found = await locator.boundingBox()
  expect(found, 'the element is laid out').not.toBeNull()
  return found ?? { x: 0, y: 0, width: 0, height: 0 }
}

test('the Overview says when each cluster\'s inventory was read apart, not as one run-on line', async ({ page, overview }) => {
  await page.setViewportSize({ width: 1280, height: 860 })
  await overview.open()
  // "hq: As of just now" and "branch: As of just now" are two statements, not one run-on line.
  const card = page.getByRole('region', { name: 'Logged in now' })
  const asOf = card.locator('p').filter({ hasText: /^hq: As of/ })
  const hq = asOf.locator(':scope > span').filter({ hasText: /^hq:/ })
  const branch = asOf.locator(':scope > span').filter({ hasText: /^branch:/ })
  const [first, second] = [await box(hq), await box(branch)]
  // At 1280 px both fit on one line, with room between them.
  expect(Math.abs(first.y - second.y), 'both on one line').toBeLessThan(2)
  expect(second.x - (first.x + first.width), 'the space between the clusters\' "As of"').toBeGreaterThanOrEqual(8)
})
