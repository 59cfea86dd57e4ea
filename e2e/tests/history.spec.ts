import { readFile } from 'node:fs/promises'
import { expect, test } from '../fixtures.ts'

test('an admin filters the history, opens a record and exports the filter as CSV', async ({ page, history, api, saveScreenshot }) => {
  // Some activity, made through the API (trigger "api") in the test's session, so this journey stands alone.
  expect((await api.post('/api/devices/SEP001122334455/logout')).ok()).toBe(true)
  expect((await api.post('/api/devices/SEP001122334455/logout')).ok()).toBe(true)
  expect((await api.get('/api/devices/SEP00AABBCCDDEE')).ok()).toBe(true)

  await history.open()
  await expect(history.rows().first()).toBeVisible()
  await history.action.selectOption({ label: 'Log out' })
  await history.device.fill('SEP001122334455')
  await history.applyButton.click()
  await expect(page).toHaveURL(/action=logout/)

  const rows = history.rows()
  await expect(rows.first()).toContainText('SEP001122334455')
  for (const row of await rows.all()) {
    await expect(row).toContainText('Log out')
    await expect(row).not.toContainText('Device look-up')
  }
  await expect(rows.filter({ hasText: 'Already logged out' }).first()).toBeVisible()

  // The actor of every action is the signed-in user.
  await expect(rows.first()).toContainText('demo')
  await history.openRecord(rows.first())
  await expect(history.detail.getByRole('heading', { name: /Audit record #\d+/ })).toBeVisible()
  await expect(history.detail).toContainText('demo via API')
  await expect(history.detail.getByLabel('Request XML')).toContainText('SEP001122334455')
  await expect(history.detail.getByLabel('Response body')).not.toBeEmpty()
  await saveScreenshot('history')

  await expect(history.exportLink).toHaveAttribute('href', /action=logout/)
  const downloadPromise = page.waitForEvent('download')
  await history.exportLink.click()
  const download = await downloadPromise
  expect(download.suggestedFilename()).toMatch(/\.csv$/)
  const csv = await readFile(await download.path(), 'utf8')
  const lines = csv.trim().split(/\r?\n/)
  expect(lines.length).toBeGreaterThanOrEqual(3)
  expect(lines[0]).toMatch(/action/i)
  for (const line of lines.slice(1)) {
    expect(line).toContain('SEP001122334455')
    expect(line).toContain('logout')
    expect(line).not.toContain('device-query')
  }
})
