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
 * The rules a theme can change: the dark theme sets other colours and nothing else (theme.css),
 * so its pages are checked for those; their structure, names and sizes are the light theme's,
 * checked there.
 */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block']

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
  const dark = await page.evaluate(() => document.documentElement.dataset.theme === 'dark')
  // Legacy mode: axe.run in the page itself. The default runs each frame apart and then opens a
  // blank page to put the parts together, injecting axe twice: twice the time for the same
  // result on a dashboard that has no frames (each pass took 3.5-14 s on a busy machine).
  const results = await new AxeBuilder({ page }).setLegacyMode()
    .options(dark
      ? { runOnly: { type: 'rule', values: COLOUR_RULES } }
      : { runOnly: { type: 'tag', values: TAGS }, rules: { 'label-content-name-mismatch': { enabled: true } } })
    .analyze()
  const described = (violations: typeof results.violations): string[] => violations.map((violation) => `${violation.id} (${violation.impact ?? ''}): ${violation.help}; ${violation.nodes.slice(0, 4).map((node) => `${node.target.join(' ')} ${node.failureSummary?.replace(/\s+/g, ' ') ?? ''}`).join(' | ')}`)
  if (process.env.AXE_SURVEY !== undefined) appendFileSync(process.env.AXE_SURVEY, described(results.violations).map((line) => `${where}: ${line}\n`).join(''))
  const serious = described(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical'))
  expect(serious, `${where}: serious or critical accessibility violations`).toEqual([])
  expect(await faintControls(page), `${where}: fields whose outline does not stand out 3:1 from the background (WCAG 1.4.11)`).toEqual([])
}

/**
 * Controls a person cannot see the edges of: WCAG 1.4.11 asks 3:1 between a field (its border or
 * its fill) and what is around it, which axe does not check. Check boxes and radios are drawn by
 * the browser; a disabled field is exempt.
 */
async function faintControls (page: Page): Promise<string[]> {
  return await page.evaluate(() => {
    const rgb = (color: string): number[] => (color.match(/[\d.]+/g) ?? []).map(Number)
    const luminance = ([r = 0, g = 0, b = 0]: number[]): number => {
      const [x = 0, y = 0, z = 0] = [r, g, b].map((v) => v / 255).map((v) => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
      return 0.2126 * x + 0.7152 * y + 0.0722 * z
    }
    const ratio = (a: number[], b: number[]): number => {
      const [light, dark] = [luminance(a), luminance(b)].sort((p, q) => q - p)
      return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05)
    }
    const opaque = (color: string): boolean => (rgb(color)[3] ?? 1) > 0
    const around = (element: Element): number[] => {
      for (let parent = element.parentElement; parent !== null; parent = parent.parentElement) {
        const background = getComputedStyle(parent).backgroundColor
        if (opaque(background)) return rgb(background)
      }
      return [255, 255, 255]
    }
    const controls = [...document.querySelectorAll('input:not([type=checkbox], [type=radio], [type=hidden]), textarea, select, .switch-track')]
    return controls.filter((control) => {
      const style = getComputedStyle(control)
      if ((control as HTMLInputElement).disabled || style.visibility !== 'visible' || style.opacity === '0' || control.getClientRects().length === 0) return false
      const behind = around(control)
      const edge = parseFloat(style.borderTopWidth) > 0 && opaque(style.borderTopColor) ? ratio(rgb(style.borderTopColor), behind) : 1
      const fill = opaque(style.backgroundColor) ? ratio(rgb(style.backgroundColor), behind) : 1
      return Math.max(edge, fill) < 3
    }).map((control) => `${control.outerHTML.slice(0, 90)} (${getComputedStyle(control).borderTopColor} on ${around(control).join(',')})`)
  })
}
