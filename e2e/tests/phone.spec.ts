import { OUTCOME_LABELS } from '@em-console/shared/display'
import type { AuditPage, RunStarted, Schedule } from '@em-console/shared/schemas'
import { expectNoSidewaysScroll, expectTableWhole } from '../layout.ts'
import { expect, test } from '../fixtures.ts'

// A small phone in portrait: the narrowest width the dashboard promises to fit.
test.use({ viewport: { width: 360, height: 780 }, hasTouch: true })

test('every screen fits a 360 px phone: no sideways scroll, a short header, every screen one tap away', async ({ page, shell, overview, sessions, devices, users, runs, schedules, history, settings, accounts, api, saveScreenshot }) => {
  // A long journey over every screen on a busy two-core machine.
  test.setTimeout(180_000)
  const schedule = await api.post('/api/schedules', { name: `phone-${Date.now().toString(36)}`, cron: '0 2 * * 1-5', timezone: 'Europe/Paris', enabled: false })
  expect(schedule.status()).toBe(201)
  const scheduleId = (await schedule.json() as Schedule).id
  const started = await api.post('/api/runs', { action: 'logout', devices: ['SEP001122334455', 'SEP00AABBCCDDEE', 'SEPFFFFFFFFFFFF'], verifyAfterSeconds: 0 })
  expect(started.status()).toBe(202)
  const runId = (await started.json() as RunStarted).id
  try {
    await overview.open()
    await expect(overview.recentActions.getByRole('table')).toBeVisible()
    await expectNoSidewaysScroll(page, 'The Overview')
    // The header leaves the screen to the page: one short row.
    const header = await page.getByRole('banner').boundingBox()
    expect(header?.height ?? 1000).toBeLessThanOrEqual(64)
    await expect(overview.logoutAllButton).toBeVisible()
    const button = await overview.logoutAllButton.boundingBox()
    expect((button?.x ?? 0) + (button?.width ?? 1000)).toBeLessThanOrEqual(360)
    await saveScreenshot('phone-overview')

    // The navigation folds behind a Menu button, and every screen is in it, on screen.
    await expect(shell.nav).toBeHidden()
    await shell.menuButton.click()
    await expect(shell.menuButton).toHaveAttribute('aria-expanded', 'true')
    for (const name of ['Overview', 'Sessions', 'Devices', 'Users', 'Bulk runs', 'Schedules', 'History', 'Settings', 'Accounts']) {
      await expect(shell.nav.getByRole('link', { name, exact: true })).toBeInViewport({ ratio: 1 })
    }
    await expectNoSidewaysScroll(page, 'The open menu')
    await saveScreenshot('phone-menu')
    await page.keyboard.press('Escape')
    await expect(shell.nav).toBeHidden()

    // The logout-all dialog fits, its button too.
    await overview.logoutAllButton.click()
    await expect(overview.dialog).toBeVisible()
    const dialog = await overview.dialog.boundingBox()
    expect(dialog?.x ?? -1).toBeGreaterThanOrEqual(0)
    expect((dialog?.x ?? 0) + (dialog?.width ?? 1000)).toBeLessThanOrEqual(360)
    await expect(overview.confirmButton).toBeInViewport({ ratio: 1 })
    await expectNoSidewaysScroll(page, 'The logout-all dialog')
    await saveScreenshot('phone-logout-all')
    await page.keyboard.press('Escape')

    await shell.goTo('Sessions')
    await expect(shell.heading).toHaveText('Sessions')
    await expect(sessions.rows().first()).toBeVisible()
    await expectNoSidewaysScroll(page, 'Sessions')
    await sessions.pool('DP_OSLO').check()
    await sessions.rows().first().getByRole('checkbox').check()
    await expect(sessions.logoutSelectedButton).toHaveText('Log out selected (1)')
    await expectNoSidewaysScroll(page, 'Sessions filtered, one selected')
    await saveScreenshot('phone-sessions')

    await shell.goTo('Devices')
    await expect(shell.heading).toHaveText('Devices')
    await devices.lookUp('SEP001122334455', 'SEP00AABBCCDDEE', 'SEPFFFFFFFFFFFF')
    await expect(devices.row('SEP001122334455')).toContainText('jdoe')
    await expectNoSidewaysScroll(page, 'Devices with results')
    await saveScreenshot('phone-devices')

    await shell.goTo('Users')
    // The run above logged jdoe out; jane.doe is still on her phone.
    await users.lookUp('jane.doe@example.com')
    await expect(users.devicesCard.getByText('SEP001122334466', { exact: true })).toBeVisible()
    await expectNoSidewaysScroll(page, 'Users with results')
    await users.userInput.fill('u'.repeat(300))
    await expectNoSidewaysScroll(page, 'Users with a 300-character user ID typed')
    await users.lookUpButton.click()
    await expectNoSidewaysScroll(page, 'Users with a 300-character user ID refused')

    await shell.goTo('Bulk runs')
    await runs.pasteList.fill('SEP001122334455 SEP00AABBCCDDEE')
    await runs.previewButton.click()
    await expect(runs.previewRow('SEP00AABBCCDDEE')).toBeVisible()
    await expectNoSidewaysScroll(page, 'Bulk runs with a preview')
    await saveScreenshot('phone-bulk-runs')

    await page.goto(`/#/runs/${runId}`)
    await expect(runs.state).toHaveText('State: Done')
    await expectNoSidewaysScroll(page, 'A run\'s page')
    // Whether each device worked reads without scrolling the table sideways.
    for (const [device, outcome] of [['SEP001122334455', 'Success'], ['SEP00AABBCCDDEE', 'Nobody to log out'], ['SEPFFFFFFFFFFFF', 'Unknown device']] as const) {
      await runs.itemRow(device).getByRole('rowheader').scrollIntoViewIfNeeded()
      await expect(runs.itemRow(device).getByText(outcome, { exact: true }).filter({ visible: true }), `${device}'s outcome`).toBeInViewport({ ratio: 1 })
    }
    await saveScreenshot('phone-run')

    await shell.goTo('Schedules')
    await expect(schedules.table).toBeVisible()
    await expectNoSidewaysScroll(page, 'Schedules')
    await saveScreenshot('phone-schedules')

    await shell.goTo('History')
    await expect(history.rows().first()).toBeVisible()
    await expectNoSidewaysScroll(page, 'History')
    // What each record did, and whether it worked, reads without scrolling the table sideways.
    const newest = await api.get('/api/audit?limit=10')
    expect(newest.status()).toBe(200)
    for (const record of (await newest.json() as AuditPage).items) {
      const row = history.record(record.id)
      await row.scrollIntoViewIfNeeded()
      await expect(row.getByText(OUTCOME_LABELS[record.outcome], { exact: true }).filter({ visible: true }), `record ${record.id}'s outcome`).toBeInViewport({ ratio: 1 })
    }
    // Nor is anything else of a row (its time, action, device or user) cut at the table's edge.
    await expectTableWhole(history.table, 'The audit trail')
    // The record opens where the person is looking, not below a long table.
    await history.openRecord(history.rows().nth(3))
    await expect(history.detail).toBeInViewport()
    // Its content shows, not only its header at the bottom of the screen.
    await expect(history.detail.getByRole('term').first()).toBeInViewport({ ratio: 1 })
    await expectNoSidewaysScroll(page, 'History with a record open')
    await saveScreenshot('phone-history')

    await shell.goTo('Settings')
    await expect(settings.exemptDevices).toBeVisible()
    await settings.addList(`A list named at length ${'x'.repeat(30)}`, 'SEP001122334455 SEP00AABBCCDDEE')
    await expectNoSidewaysScroll(page, 'Settings with a device list')

    await shell.openAccount()
    await expect(shell.accountDialog.getByLabel('Current password')).toBeFocused()
    await expectNoSidewaysScroll(page, 'The Account dialog')
    await page.keyboard.press('Escape')

    await shell.goTo('Accounts')
    await expect(accounts.table).toBeVisible()
    await expectNoSidewaysScroll(page, 'Accounts')
    await saveScreenshot('phone-accounts')

    await page.goto('/#/nope')
    await expect(shell.heading).toHaveText('Page not found')
    await expectNoSidewaysScroll(page, 'Not found')
  } finally {
    await api.delete(`/api/schedules/${scheduleId}`)
  }
})

test.describe('signed out', () => {
  test.use({ signedInAs: null })

  test('the sign-in page fits a 360 px phone', async ({ page, signIn, consoleErrors }) => {
    consoleErrors.allow(/Failed to load resource: the server responded with a status of 401/)
    await signIn.open()
    await expect(signIn.heading).toBeVisible()
    await expectNoSidewaysScroll(page, 'The sign-in page')
  })
})
