import { expect, test } from '../fixtures.ts'

test('an address the dashboard does not have says so, with a way back', async ({ page, shell }) => {
  await page.goto('/#/nope')
  await expect(shell.heading).toHaveText('Page not found')
  await expect(page.getByText('There is no page at #/nope.')).toBeVisible()
  await page.getByRole('link', { name: 'Go to the Overview' }).click()
  await expect(shell.heading).toHaveText('Overview')
})

test('an address pasted without its "#" opens the screen it names, or says there is no such page', async ({ page, shell }) => {
  await page.goto('/sessions?devicePool=DP_OSLO')
  await expect(page).toHaveURL(/\/#\/sessions\?devicePool=DP_OSLO$/)
  await expect(shell.heading).toHaveText('Sessions')
  await page.goto('/nope')
  await expect(shell.heading).toHaveText('Page not found')
  await expect(page.getByText('There is no page at #/nope.')).toBeVisible()
})

test('a screen whose file cannot be fetched (the server restarting) says so with a way out, not a blank page', async ({ page, shell, overview, consoleErrors }) => {
  consoleErrors.allow(/Failed to load resource|Failed to fetch dynamically imported module|net::ERR_FAILED/)
  await overview.open()
  await expect(shell.heading).toHaveText('Overview')
  // The schedules screen's file, as a server that is down answers it: not at all.
  await page.route(/\/assets\/schedules-screen-[^/]+\.js$/, async (route) => { await route.abort('connectionrefused') })
  await shell.goTo('Schedules')
  await expect(page.getByRole('alert')).toContainText('This part of the dashboard could not be loaded')
  await expect(shell.nav).toBeVisible()

  // The server is back: Reload shows the screen.
  await page.unroute(/\/assets\/schedules-screen-[^/]+\.js$/)
  await page.getByRole('button', { name: 'Reload' }).click()
  await expect(shell.heading).toHaveText('Schedules')
  await expect(page.getByRole('heading', { name: 'Create a schedule' })).toBeVisible()
})

test('a card of the Overview whose file cannot be fetched says so; the rest of the Overview works', async ({ page, shell, overview, consoleErrors }) => {
  consoleErrors.allow(/Failed to load resource|Failed to fetch dynamically imported module|net::ERR_FAILED/)
  await page.route(/\/assets\/activity-chart-[^/]+\.js$/, async (route) => { await route.abort('connectionrefused') })
  await overview.open()
  await expect(shell.heading).toHaveText('Overview')
  await expect(page.getByRole('alert').filter({ hasText: 'This part of the dashboard could not be loaded' })).toHaveCount(1)
  await expect(overview.logoutAllButton).toBeEnabled()
  await expect(overview.connectionCard.getByText('EMAPI reachable', { exact: true })).toBeVisible()
})
