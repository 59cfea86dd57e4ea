import { expect, type Page } from '@playwright/test'

/**
 * Asserts the page does not scroll sideways. On failure the message names the elements that reach
 * past the right edge, so the fix can start from them.
 */
export async function expectNoSidewaysScroll (page: Page, where: string): Promise<void> {
  const layout = await page.evaluate(() => {
    const root = document.documentElement
    const width = root.clientWidth
    const culprits: string[] = []
    for (const element of document.body.querySelectorAll('*')) {
      const box = element.getBoundingClientRect()
      if (box.right > width + 0.5 && culprits.length < 8) {
        culprits.push(`${element.tagName.toLowerCase()}.${String(element.className).replace(/\s+/g, '.')} (${Math.round(box.right)} px)`)
      }
    }
    return { scrollWidth: root.scrollWidth, clientWidth: width, culprits }
  })
  expect(layout.scrollWidth, `${where} is ${layout.scrollWidth} px wide in a ${layout.clientWidth} px window; past the edge: ${layout.culprits.join(', ')}`).toBeLessThanOrEqual(layout.clientWidth)
}
