import { expect, test } from '../fixtures.ts'

test('an admin looks up a phone with a user on it, logs it out and sees it empty', async ({ devices, saveScreenshot }) => {
  await devices.open()
  await devices.lookUp('SEP001122334455')
  const row = devices.row('SEP001122334455')
  await expect(row).toContainText('jdoe')
  await expect(row).toContainText('asmith')
  await saveScreenshot('devices')

  await row.getByRole('button', { name: 'Log out SEP001122334455' }).click()
  await expect(row.getByText('Log out jdoe?')).toBeVisible()
  await row.getByRole('button', { name: 'Confirm logout' }).click()

  await expect(row).toContainText('Nobody logged in')
  const result = devices.result('SEP001122334455')
  await expect(result.getByText('Logged out', { exact: true })).toBeVisible()
  await expect(result.getByRole('link', { name: /Audit #\d+/ })).toBeVisible()
  await expect(row.getByRole('button', { name: 'Log in to SEP001122334455' })).toBeVisible()
  await saveScreenshot('devices-after-logout')
})

test('an admin pastes five device names and sees the status of each', async ({ devices }) => {
  await devices.open()
  await devices.lookUpText('SEP001122334455, SEP00AABBCCDDEE\nSEP00DEADBEEF00  SEP001122334466\n\nSEPFFFFFFFFFFFF,')

  await expect(devices.results.locator('tbody').getByRole('row')).toHaveCount(5)
  await expect(devices.summary).toContainText('5 devices')
  await expect(devices.row('SEP001122334455')).toContainText('jdoe')
  await expect(devices.row('SEP00AABBCCDDEE')).toContainText('Nobody logged in')
  await expect(devices.row('SEP00DEADBEEF00')).toBeVisible()
  await expect(devices.row('SEP001122334466')).toContainText('jane.doe@example.com')
  await expect(devices.row('SEPFFFFFFFFFFFF')).toContainText('Unknown device')
})

test('names that cannot be devices are pointed out, not sent', async ({ devices }) => {
  await devices.open()
  await devices.lookUpText('SEP00AABBCCDDEE bad/name')
  await expect(devices.page.getByRole('alert')).toContainText('bad/name')
  await expect(devices.row('SEP00AABBCCDDEE')).toContainText('Nobody logged in')
})
