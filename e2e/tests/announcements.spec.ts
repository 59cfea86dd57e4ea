import type { InventoryStatus, RunStarted } from '@em-console/shared/schemas'
import { expect, test } from '../fixtures.ts'
import { SEED_PHONES } from '../pages/runs-page.ts'

/*
 * What a screen reader hears from a live region is every change of its accessible text: a clock
 * ticking in one ("2 minutes ago", "in 35 seconds") is heard on every tick, over whatever the admin
 * is reading. The regions announce what happened (a read of the inventory, a re-check's outcome),
 * once; the ticking words stay on screen beside them.
 */
test('the Sessions screen\'s "as of" is heard when the inventory is read again, not every minute it ages', async ({ page, sessions }) => {
  await page.clock.install()
  await sessions.open()
  const asOf = page.locator('.inventory-as-of')
  await expect(asOf).toHaveAttribute('aria-live', 'polite')
  // Read now, so that no read an earlier journey's logout asked for comes in the minutes below.
  // Its answer is waited for, not the button's word: before the press is drawn the button already says Refresh.
  const refreshed = page.waitForResponse((response) => response.url().includes('/api/inventory/refresh'))
  await sessions.refreshButton.press('Enter')
  const read = await (await refreshed).json() as InventoryStatus
  await expect(sessions.refreshButton).toHaveText('Refresh')
  await expect(asOf).toContainText('HQ (demo): As of just now')
  const heard = await asOf.ariaSnapshot()
  await page.clock.fastForward('03:00')
  // On screen it ages; what the region announces does not.
  await expect(asOf).toContainText('HQ (demo): As of 3 minutes ago')
  expect(await asOf.ariaSnapshot()).toBe(heard)
  // A refresh reads the inventory again: that is heard (the time heard is to the second: once a
  // second has passed since the last reading of each cluster, the server's clock).
  const lastRead = Math.max(...read.clusters.map((c) => Date.parse(c.asOf ?? '')))
  await expect.poll(() => Date.now(), { timeout: 5_000 }).toBeGreaterThanOrEqual(lastRead + 1000)
  await sessions.refreshButton.press('Enter')
  await expect(sessions.refreshButton).toHaveText('Refresh')
  await expect.poll(async () => await asOf.ariaSnapshot()).not.toBe(heard)
})

test('the logout-all dialog\'s count is not heard again each minute its inventory ages', async ({ page, overview }) => {
  await page.clock.install()
  await overview.open()
  await overview.logoutAllButton.press('Enter')
  const count = overview.dialog.getByRole('status').filter({ hasText: /^This logs out/ })
  await expect(count).toContainText('(inventory as of just now')
  const heard = await count.ariaSnapshot()
  // Two minutes on, the admin starts typing the words: the dialog is drawn again, the count with it.
  await page.clock.fastForward('02:00')
  await overview.confirmationInput.pressSequentially('LOG')
  await expect(count).toContainText('(inventory as of 2 minutes ago')
  expect(await count.ariaSnapshot()).toBe(heard)
})

test('a run\'s pending re-check counts down on screen, and is announced once, not on every tick of its countdown', async ({ page, api }) => {
  const started = await api.post('/api/runs', { action: 'logout', devices: ['SEP001122334455'], verifyAfterSeconds: 60 })
  expect(started.status()).toBe(202)
  const runId = (await started.json() as RunStarted).id
  await expect.poll(async () => (await (await api.get(`/api/runs/${runId}`)).json() as { state: string }).state).toBe('done')
  await page.clock.install()
  await page.goto(`/#/runs/${runId}`)
  const pending = page.getByRole('status').filter({ hasText: 'Re-check pending' })
  await expect(pending).toContainText('(in 1 minute)')
  const heard = await pending.ariaSnapshot()
  for (const [seconds, left] of [[35, /\(in 2\d seconds\)/], [5, /\(in [12]\d seconds\)/], [5, /\(in 1?\d seconds\)/]] as const) {
    await page.clock.fastForward(seconds * 1000)
    await expect(pending).toContainText(left)
    expect(await pending.ariaSnapshot()).toBe(heard)
  }
})

test('a run that ends with failures says so to a screen reader, not only by its state\'s colour', async ({ runs }) => {
  // One user on many phones: CUCM refuses all but one.
  await runs.startLogins(SEED_PHONES, 'asmith')
  await expect(runs.state).toHaveText('State: Done', { timeout: 15_000 })
  await expect(runs.state.locator('.badge')).toHaveClass(/badge-warn/)
  // What the run's status regions hold once it has ended: its counts, the failures among them.
  const heard = await Promise.all((await runs.run.getByRole('status').all()).map(async (status) => await status.ariaSnapshot()))
  expect(heard.join('\n')).toMatch(/Done: 1 success, [1-9]\d* failed/)
})
