import { expect, test } from '../fixtures.ts'

test('an address the dashboard does not have says so, with a way back', async ({ page, shell }) => {
  await page.goto('/#/nope')
  await expect(shell.heading).toHaveText('Page not found')
  await expect(page.getByText('There is no page at #/nope.')).toBeVisible()
  await page.getByRole('link', { name: 'Go to the Overview' }).click()
  await expect(shell.heading).toHaveText('Overview')
})
