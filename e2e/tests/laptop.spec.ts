import { expectEveryNavLinkShown, expectNoSidewaysScroll } from '../layout.ts'
import { expect, test } from '../fixtures.ts'

test('on every laptop and desktop width, each screen of the main navigation shows in the bar', async ({ page, overview, shell }) => {
  await overview.open()
  await expect(shell.heading).toHaveText('Overview')
  // An admin sees every screen (Accounts last); 1366 is the commonest laptop, 1640-1760 hid
  // Settings and Accounts beside the cluster picker.
  for (let width = 1024; width <= 1920; width += 40) {
    await page.setViewportSize({ width, height: 900 })
    await expectEveryNavLinkShown(page, `At ${width} px`)
    await expectNoSidewaysScroll(page, `The Overview at ${width} px`)
  }
  for (const width of [1366, 1536]) {
    await page.setViewportSize({ width, height: 900 })
    await expectEveryNavLinkShown(page, `At ${width} px`)
  }
})

test('on a split screen the bar keeps the two rows it has at 1280 px: its controls, then every screen\'s link on one row', async ({ page, overview, shell }) => {
  await overview.open()
  await expect(shell.heading).toHaveText('Overview')
  const bar = page.getByRole('banner')
  const links = shell.nav.getByRole('link')
  await expect(links).toHaveCount(9)
  await page.setViewportSize({ width: 1280, height: 800 })
  const wide = (await bar.boundingBox())?.height ?? 0
  // Between 761 and 960 px the bar took three or four rows: the links wrapped, then the controls.
  for (const width of [960, 900, 800, 761]) {
    await page.setViewportSize({ width, height: 800 })
    const rows = await links.evaluateAll((all) => new Set(all.map((link) => Math.round(link.getBoundingClientRect().top))).size)
    expect(rows, `rows of links at ${width} px`).toBe(1)
    expect((await bar.boundingBox())?.height, `the bar's height at ${width} px (${wide} px at 1280)`).toBeLessThanOrEqual(wide + 1)
    await expectEveryNavLinkShown(page, `At ${width} px`)
    await expectNoSidewaysScroll(page, `The Overview at ${width} px`)
  }
  // Each link is a Tab away, shows it has the focus, and the current screen is marked.
  await expect(links.first()).toHaveAttribute('aria-current', 'page')
  await links.first().focus()
  for (let i = 0; i < 9; i++) {
    const link = links.nth(i)
    if (i > 0) await page.keyboard.press('Tab')
    await expect(link).toBeFocused()
    await expect(link).toBeInViewport({ ratio: 1 })
    await expect(link).toHaveCSS('outline-style', 'solid')
  }
})
