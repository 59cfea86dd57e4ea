import { expect, type Locator, type Page } from '@playwright/test'

/**
 * Asserts the page does not scroll sideways. On failure the message names the elements that reach
 * past the right edge, so the fix can start from them.
 */
export async function expectNoSidewaysScroll (page: Page, where: string): Promise<void> {
  const layout = await page.evaluate(() => {
    const root = document.documentElement
    const width = root.clientWidth
    const culprits: string[] = []
    // An element inside a box that scrolls or clips sideways cannot widen the page: skip those.
    // (Absolutely placed elements escape a clipping parent that is not their containing block.)
    const clipped = (element: Element): boolean => {
      if (['absolute', 'fixed'].includes(getComputedStyle(element).position)) return false
      for (let parent = element.parentElement; parent !== null && parent !== document.body; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX !== 'visible') return true
      }
      return false
    }
    for (const element of document.body.querySelectorAll('*')) {
      const box = element.getBoundingClientRect()
      if (box.right > width + 0.5 && culprits.length < 8 && !clipped(element)) {
        culprits.push(`${element.tagName.toLowerCase()}.${String(element.className).replace(/\s+/g, '.')} (${Math.round(box.right)} px)`)
      }
    }
    return { scrollWidth: root.scrollWidth, clientWidth: width, culprits }
  })
  expect(layout.scrollWidth, `${where} is ${layout.scrollWidth} px wide in a ${layout.clientWidth} px window; past the edge: ${layout.culprits.join(', ')}`).toBeLessThanOrEqual(layout.clientWidth)
}

/**
 * Asserts every link of the main navigation shows whole: inside the bar's box (which must not
 * scroll them out of sight) and inside the window.
 */
export async function expectEveryNavLinkShown (page: Page, where: string): Promise<void> {
  const hidden = await page.evaluate(() => {
    const nav = document.querySelector('nav[aria-label="Main"]')
    if (nav === null) return ['(no main navigation)']
    const box = nav.getBoundingClientRect()
    const width = document.documentElement.clientWidth
    return [...nav.querySelectorAll('a')].filter((link) => {
      const own = link.getBoundingClientRect()
      return own.left < Math.max(0, box.left) - 0.5 || own.right > Math.min(width, box.right) + 0.5
    }).map((link) => link.textContent ?? '')
  })
  expect(hidden, `${where}: links out of sight`).toEqual([])
}

/** Asserts a table shows whole in its frame: nothing of a row is past the edge of the box that would scroll it sideways. */
export async function expectTableWhole (table: Locator, where: string): Promise<void> {
  const { wide, shown } = await table.evaluate((element) => ({ wide: element.scrollWidth, shown: element.parentElement?.clientWidth ?? 0 }))
  expect(wide, `${where} is ${wide} px wide in a ${shown} px frame`).toBeLessThanOrEqual(shown)
}
