import { AxeBuilder } from '@axe-core/playwright'
import { expect, type Page } from '@playwright/test'

/**
 * Runs axe-core on the page as it is and fails on any serious or critical violation, naming the
 * rule and the elements. label-content-name-mismatch is an "experimental" rule that axe leaves
 * off by default; it is on here because a name that does not start with the visible text breaks
 * voice control ("click Run now").
 */
export async function expectAccessible (page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
    .analyze()
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact ?? ''}): ${violation.help}; ${violation.nodes.slice(0, 4).map((node) => `${node.target.join(' ')} ${node.failureSummary?.replace(/\s+/g, ' ') ?? ''}`).join(' | ')}`)
  expect(serious, `${where}: serious or critical accessibility violations`).toEqual([])
}
