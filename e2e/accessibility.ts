import { appendFileSync } from 'node:fs'
import { AxeBuilder } from '@axe-core/playwright'
import { expect, type Page } from '@playwright/test'

/**
 * The WCAG 2.0, 2.1 and 2.2 success criteria of levels A and AA, and axe's best practices (one
 * main landmark, headings in order, every content inside a landmark): a screen-reader user meets
 * those as much as the criteria.
 */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']

/**
 * Runs axe-core on the page as it is and fails on any serious or critical violation, naming the
 * rule and the elements. label-content-name-mismatch is an "experimental" rule that axe leaves
 * off by default; it is on here because a name that does not start with the visible text breaks
 * voice control ("click Run now").
 */
export async function expectAccessible (page: Page, where: string): Promise<void> {
  // axe places a sticky element (the top bar) where it is painted now, not where it belongs, so a
  // button scrolled under the bar failed target-size as "obscured" (axe-core issue #3720). At the
  // top nothing is under the bar; that a focused control is never left there is focus.spec's.
  await page.evaluate(() => { window.scrollTo(0, 0) })
  const results = await new AxeBuilder({ page })
    .options({ runOnly: { type: 'tag', values: TAGS }, rules: { 'label-content-name-mismatch': { enabled: true } } })
    .analyze()
  const described = (violations: typeof results.violations): string[] => violations.map((violation) => `${violation.id} (${violation.impact ?? ''}): ${violation.help}; ${violation.nodes.slice(0, 4).map((node) => `${node.target.join(' ')} ${node.failureSummary?.replace(/\s+/g, ' ') ?? ''}`).join(' | ')}`)
  if (process.env.AXE_SURVEY !== undefined) appendFileSync(process.env.AXE_SURVEY, described(results.violations).map((line) => `${where}: ${line}\n`).join(''))
  const serious = described(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical'))
  expect(serious, `${where}: serious or critical accessibility violations`).toEqual([])
}
