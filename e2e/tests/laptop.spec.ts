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
