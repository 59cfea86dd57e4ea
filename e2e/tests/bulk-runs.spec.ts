import { readFileSync } from 'node:fs'
import type { Run, SettingsUpdate } from '@em-console/shared/schemas'
import { expect, test } from '../fixtures.ts'

const NO_SETTINGS: SettingsUpdate = { exemptions: { devices: [], users: [] }, deviceLists: [] }

/** Twelve EM-enabled phones of the demo seed (server/src/simulator/seed.ts, seed 20261101). */
const SEED_PHONES = [
  'SEP1AC049ACC3C3', 'SEP320079B4535B', 'SEPD6763695D986', 'SEP564F004A1659', 'SEPF94EFB16B537', 'SEP5C47FFFAAC2A',
  'SEPDFC9A07BE149', 'SEPB39F7B371569', 'SEP1AEF5486034D', 'SEP063B94C9BDD7', 'SEP570FADDC23AE', 'SEP7CC8AA2215F2'
]

test('an admin uploads a CSV, previews it, watches the run to the end and downloads the results', async ({ runs, shell, page, saveScreenshot }) => {
  await runs.open()
  await expect(shell.heading).toHaveText('Bulk runs')
  await runs.chooseAction('Log out devices')
  // A spreadsheet export: header row, the seed's two logged-in phones, an empty one, a typo and a phone CUCM does not know.
  const csv = [
    'device',
    'SEP001122334455',
    'SEP001122334466',
    'SEP00AABBCCDDEE',
    'not a device!',
    'SEPFFFFFFFFFFFF'
  ].join('\r\n')
  await runs.csvFile.setInputFiles({ name: 'office-3.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await expect(runs.newRun.getByText('office-3.csv')).toBeVisible()
  await expect(runs.pasteList).toBeDisabled()
  await runs.recheckAfter.fill('2')
  await runs.previewButton.click()

  await expect(runs.previewRow('SEP001122334455')).toContainText('jdoe')
  await expect(runs.previewRow('SEP001122334455')).toContainText('Will be logged out')
  await expect(runs.previewRow('SEP001122334466')).toContainText('jane.doe@example.com')
  await expect(runs.previewRow('SEP00AABBCCDDEE')).toContainText('Already empty')
  await expect(runs.previewRow('SEPFFFFFFFFFFFF')).toContainText('Unknown device')
  await expect(runs.problems).toContainText('Line 5:')
  await expect(runs.problems).toContainText('not a device!')
  await expect(runs.newRun.getByRole('list', { name: 'Preview counts' })).toContainText('2 Will be logged out')
  await saveScreenshot('bulk-runs-preview')

  await runs.startButton.click()
  await expect(page).toHaveURL(/#\/runs\/[0-9a-f-]{36}$/)
  const runId = page.url().split('/').pop() ?? ''

  // Live progress from the event stream, to the end.
  await expect(runs.progress).toHaveAttribute('aria-valuemax', '4')
  await expect(runs.progress).toHaveAttribute('aria-valuenow', '4')
  await expect(runs.state).toHaveText('State: Done')
  await expect(runs.outcome('Success')).toContainText('2')
  await expect(runs.outcome('Already logged out')).toContainText('1')
  await expect(runs.outcome('Unknown device')).toContainText('1')
  await expect(runs.itemRow('SEP001122334455')).toContainText('Success')
  await expect(runs.itemRow('SEP001122334466')).toContainText('jane.doe@example.com')
  await expect(runs.itemRow('SEP00AABBCCDDEE')).toContainText('Already logged out')
  await expect(runs.itemRow('SEP001122334455').getByRole('link', { name: /audit record of SEP001122334455$/ })).toBeVisible()

  // The re-check, two seconds later, confirms every phone is free.
  await expect(runs.run.getByText('Re-checked', { exact: true })).toBeVisible({ timeout: 15_000 })
  await expect(runs.run.getByRole('status').filter({ hasText: 'Re-checked' })).toContainText('3 of 3 devices confirmed logged out')
  await expect(runs.itemRow('SEP001122334455')).toContainText('Verified')
  await saveScreenshot('bulk-runs-done')

  const downloading = page.waitForEvent('download')
  await runs.downloadLink.click()
  const download = await downloading
  expect(download.suggestedFilename()).toBe(`em-console-run-${runId.slice(0, 8)}.csv`)
  const results = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').split('\r\n')
  expect(results[0]).toBe('device,user,action,outcome,emapi_code,message,time,verified,audit_id')
  expect(results.find((line) => line.startsWith('SEP001122334455,'))).toMatch(/^SEP001122334455,jdoe,logout,success,.*,true,\d+$/)
  expect(results.find((line) => line.startsWith('SEP00AABBCCDDEE,'))).toMatch(/^SEP00AABBCCDDEE,,logout,already-logged-out,19,/)
  expect(results.find((line) => line.startsWith('SEPFFFFFFFFFFFF,'))).toMatch(/^SEPFFFFFFFFFFFF,,logout,unknown,/)

  // The run page is an address: a reload reads the run again.
  await page.reload()
  await expect(runs.state).toHaveText('State: Done')
  await expect(runs.progress).toHaveAttribute('aria-valuenow', '4')
  await expect(runs.itemRow('SEP001122334466')).toContainText('Success')

  await page.getByRole('link', { name: '← All bulk runs' }).click()
  await expect(runs.recentRuns.getByRole('link', { name: runId.slice(0, 8), exact: true })).toBeVisible()
  await saveScreenshot('bulk-runs')
})

test('an admin cancels a slow run: the page says how far it got, and "Run the rest" sends what it did not reach', async ({ runs, page, simulator, saveScreenshot }) => {
  // Each EMAPI answer takes 1.5 s: with four at a time, twelve phones take about five seconds.
  await simulator.setLatency(1500)
  await runs.open()
  await runs.pasteList.fill(SEED_PHONES.join(', '))
  await runs.recheckAfter.fill('0')
  await runs.previewButton.click()
  await expect(runs.newRun.getByRole('list', { name: 'Preview counts' })).toContainText('Will be logged out')
  await runs.startButton.click()
  await expect(page).toHaveURL(/#\/runs\/[0-9a-f-]{36}$/)
  const firstRun = page.url()

  await expect(runs.state).toHaveText('State: Running')
  await expect(runs.progress).toHaveAttribute('aria-valuemax', '12')
  await runs.cancelButton.click()
  await expect(runs.state).toHaveText('State: Cancelled', { timeout: 15_000 })
  await expect(runs.outcome('Cancelled')).toBeVisible()
  const cancelled = Number((await runs.outcome('Cancelled').innerText()).match(/\d+/)?.[0])
  expect(cancelled).toBeGreaterThan(0)
  // Not "12 of 12 finished, 100%": the phones in flight finished, the others were never sent.
  const reached = 12 - cancelled
  await expect(runs.progressLabel).toHaveText(`Cancelled after ${reached} of 12 devices`)
  await expect(runs.progressLabel).not.toContainText('100%')
  await expect(runs.progress).toHaveAttribute('aria-valuenow', String(reached))
  // Nothing failed, so there is nothing to retry; what was not reached is offered apart.
  await expect(runs.retryButton).toHaveCount(0)
  await expect(runs.runRestButton).toHaveText(`Run the rest (${cancelled})`)
  await expect(runs.run.getByText('No re-check was asked for this run.')).toBeVisible()
  await saveScreenshot('bulk-runs-cancelled')

  await simulator.setLatency(0)
  const asked = page.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith('/retry'))
  await runs.runRestButton.click()
  expect((await asked).postDataJSON()).toEqual({ scope: 'rest' })
  await expect(page).not.toHaveURL(firstRun)
  await expect(runs.state).toHaveText('State: Done', { timeout: 15_000 })
  await expect(runs.progress).toHaveAttribute('aria-valuenow', String(cancelled))
  await expect(runs.run.getByRole('link', { name: firstRun.split('/').pop()?.slice(0, 8) ?? '' })).toBeVisible()
})

test('a cancelled run counts its failures apart from what it did not reach, and retries each on its own', async ({ runs, page }) => {
  // When a cancel lands depends on a busy machine's timing; the page's arithmetic must not. The
  // server's answer for the run is given here: 12 logins, 3 failed (code 18), 2 done, 7 not reached.
  const id = '00000000-0000-4000-8000-00000000c0de'
  const at = new Date().toISOString()
  const outcomes = ['success', 'failure', 'failure', 'success', 'error', ...Array<'cancelled'>(7).fill('cancelled')] as const
  const run: Run = {
    id,
    action: 'login',
    state: 'cancelled',
    trigger: 'ui',
    actor: 'demo',
    parentRunId: null,
    createdAt: at,
    startedAt: at,
    finishedAt: at,
    verifyAt: null,
    verifiedAt: null,
    verifyError: null,
    total: 12,
    counts: { success: 2, failure: 2, error: 1, cancelled: 7 },
    items: outcomes.map((outcome, i) => ({
      seq: i + 1,
      device: SEED_PHONES[i] ?? '',
      userId: 'asmith',
      profile: null,
      durationMinutes: null,
      outcome,
      emapiCode: outcome === 'failure' ? 18 : null,
      message: outcome === 'cancelled' ? 'Not run: the run was cancelled.' : null,
      auditId: outcome === 'cancelled' ? null : 100 + i,
      finishedAt: outcome === 'cancelled' ? null : at,
      verified: null
    }))
  }
  await page.route(`**/api/runs/${id}`, async (route) => { await route.fulfill({ json: run }) })
  const retried: unknown[] = []
  await page.route(`**/api/runs/${id}/retry`, async (route) => {
    retried.push(route.request().postDataJSON())
    await route.fulfill({ status: 202, json: { id, problems: [] } })
  })

  await page.goto(`/#/runs/${id}`)
  await expect(runs.state).toHaveText('State: Cancelled')
  await expect(runs.progressLabel).toHaveText('Cancelled after 5 of 12 devices')
  await expect(runs.progress).toHaveAttribute('aria-valuenow', '5')
  await expect(runs.run).toContainText('demo via Web')
  // Failures and errors are retried; what was never sent is offered apart.
  await expect(runs.retryButton).toHaveText('Retry failed (3)')
  await expect(runs.runRestButton).toHaveText('Run the rest (7)')

  await runs.itemsFilter.selectOption({ label: 'Failed only (3)' })
  const rows = runs.finishedItems.locator('tbody').getByRole('row')
  await expect(rows).toHaveCount(3)
  for (const row of await rows.all()) await expect(row).toContainText(/Failed|Error/)
  await runs.itemsFilter.selectOption({ label: 'Cancelled (7)' })
  await expect(rows).toHaveCount(7)

  await runs.retryButton.click()
  await expect.poll(() => retried).toEqual([{ scope: 'failed' }])
  await runs.runRestButton.click()
  await expect.poll(() => retried).toEqual([{ scope: 'failed' }, { scope: 'rest' }])
})

test('exempt devices are left out of previews and of the one-by-one log out all', async ({ settings, runs, overview, shell, page, api, saveScreenshot }) => {
  try {
    await settings.open()
    await expect(shell.heading).toHaveText('Settings')
    await settings.exemptDevices.fill('SEP001122334466')
    await settings.addList('Lobby', 'SEP001122334455\nSEP001122334466\nSEP00AABBCCDDEE')
    await settings.saveButton.click()
    await expect(settings.saved).toBeVisible()
    await expect(settings.saveButton).toBeDisabled()
    await saveScreenshot('settings')

    // A pasted list: the exempt phone is shown, and excluded.
    await shell.goTo('Bulk runs')
    await runs.pasteList.fill('SEP001122334466 SEP001122334455')
    await runs.previewButton.click()
    await expect(runs.previewRow('SEP001122334466')).toContainText('Excluded')
    await expect(runs.previewRow('SEP001122334466')).toContainText('On the exemption list')
    await expect(runs.previewRow('SEP001122334455')).toContainText('Will be logged out')

    // The big button, one by one from the saved list: same preview, same typed confirmation.
    await shell.goTo('Overview')
    await overview.logoutAllButton.click()
    await overview.savedListMode.check()
    await expect(overview.savedListPreview.getByRole('row', { name: /SEP001122334466/ })).toContainText('Excluded')
    await expect(overview.savedListPreview.getByRole('row', { name: /SEP001122334455/ })).toContainText('Will be logged out')
    await expect(overview.savedListPreview.getByRole('row', { name: /SEP00AABBCCDDEE/ })).toContainText('Already empty')
    await expect(overview.savedListConfirmButton).toBeDisabled()
    await overview.confirmationInput.fill('LOG OUT ALL')
    await expect(overview.savedListConfirmButton).toHaveText('Log out 2 devices one by one')
    await saveScreenshot('overview-logout-all-saved-list')
    await overview.savedListConfirmButton.click()

    await expect(page).toHaveURL(/#\/runs\/[0-9a-f-]{36}$/)
    await expect(runs.progress).toHaveAttribute('aria-valuenow', '3')
    await expect(runs.state).toHaveText('State: Done')
    await expect(runs.itemRow('SEP001122334466')).toContainText('Excluded')
    await expect(runs.itemRow('SEP001122334455')).toContainText('Success')
  } finally {
    expect((await api.put('/api/settings', NO_SETTINGS)).status()).toBe(200)
  }
})

test('a pasted list survives a reload until its run starts; the preview sorts, filters and exports', async ({ runs, page }) => {
  await runs.open()
  const list = 'SEP00AABBCCDDEE\nSEP001122334455\nSEPFFFFFFFFFFFF'
  await runs.pasteList.fill(list)
  await runs.recheckAfter.fill('0')
  await page.reload()
  await expect(runs.pasteList).toHaveValue(list)
  await expect(runs.recheckAfter).toHaveValue('0')

  await runs.previewButton.click()
  await expect(runs.previewRow('SEP001122334455')).toContainText('Will be logged out')
  const rows = runs.preview.locator('tbody').getByRole('row')
  await expect(rows).toHaveCount(3)

  // Sorted by device, then the other way round.
  const deviceHeader = runs.preview.getByRole('columnheader', { name: 'Device' })
  await deviceHeader.getByRole('button').click()
  await expect(deviceHeader).toHaveAttribute('aria-sort', 'ascending')
  await expect(rows.first()).toContainText('SEP001122334455')
  await deviceHeader.getByRole('button').click()
  await expect(deviceHeader).toHaveAttribute('aria-sort', 'descending')
  await expect(rows.first()).toContainText('SEPFFFFFFFFFFFF')

  await runs.newRun.getByLabel('Show', { exact: true }).selectOption({ label: 'Already empty (1)' })
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText('SEP00AABBCCDDEE')

  const downloading = page.waitForEvent('download')
  await runs.newRun.getByRole('button', { name: 'Export CSV' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toMatch(/\.csv$/)
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/)
  expect(csv[0]).toBe('Device,Current user,What happens,Why')
  // What the table shows: the filter applies to the export too.
  expect(csv.slice(1)).toEqual(['SEP00AABBCCDDEE,,Already empty,'])

  await runs.startButton.click()
  await expect(page).toHaveURL(/#\/runs\/[0-9a-f-]{36}$/)
  await expect(runs.state).toHaveText('State: Done')
  // The run started: the draft is spent.
  await runs.open()
  await expect(runs.pasteList).toHaveValue('')
})
