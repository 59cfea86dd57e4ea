import { readFileSync } from 'node:fs'
import type { Run, RunStarted, SessionPage, SettingsUpdate } from '@em-console/shared/schemas'
import { expect, numberedDevices, test, typeUnread } from '../fixtures.ts'
import { SEED_PHONES } from '../pages/runs-page.ts'
import { makeChosenFilesUnreadable, NOT_READABLE } from '../unreadable-files.ts'

const NO_SETTINGS: SettingsUpdate = { exemptions: { devices: [], users: [] }, deviceLists: [] }

test('an admin uploads a CSV, previews it, watches the run to the end and downloads the results', async ({ runs, history, shell, page, saveScreenshot }) => {
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
  // Its entries: the header row is not one of them (it said "6 lines").
  await expect(runs.newRun.getByText('(5 rows)', { exact: true })).toBeVisible()
  await expect(runs.pasteList).toBeDisabled()
  await runs.recheckAfter.fill('2')
  await runs.previewButton.click()

  await expect(runs.previewRow('SEP001122334455')).toContainText('jdoe')
  await expect(runs.previewRow('SEP001122334455')).toContainText('Will be logged out')
  await expect(runs.previewRow('SEP001122334466')).toContainText('jane.doe@example.com')
  // The preview names each device as the run's result will: the empty phone is "Nobody to log out" in both.
  await expect(runs.previewRow('SEP00AABBCCDDEE')).toContainText('Nobody to log out')
  await expect(runs.previewRow('SEPFFFFFFFFFFFF')).toContainText('Unknown device')
  await expect(runs.problems).toContainText('Line 5:')
  await expect(runs.problems).toContainText('not a device!')
  await expect(runs.newRun.getByRole('list', { name: 'Preview counts' })).toContainText('2 Will be logged out')
  // What Start does, in the preview's terms: two logouts sent, the empty phone looked up again.
  await expect(runs.newRun).toContainText('Sends a logout for 2 devices; the 1 empty device is looked up again as the run goes; excluded and unknown devices are skipped.')
  await saveScreenshot('bulk-runs-preview')

  await runs.startButton.click()
  await expect(page).toHaveURL(/#\/runs\/[0-9a-f-]{36}$/)
  const runId = page.url().split('/').pop() ?? ''
  // The run says what it was: the file, by its name, and that its refused row was left out.
  await expect(runs.title).toHaveText(`Logout of the devices in the uploaded file "office-3.csv" (1 of its rows left out) ${runId.slice(0, 8)}`)
  // No retry of another run: no "Retry of —".
  await expect(runs.run.getByText('Retry of', { exact: true })).toHaveCount(0)

  // Live progress from the event stream, to the end.
  await expect(runs.progress).toHaveAttribute('aria-valuemax', '4')
  await expect(runs.progress).toHaveAttribute('aria-valuenow', '4')
  await expect(runs.state).toHaveText('State: Done')
  await expect(runs.state.locator('.badge')).toHaveClass(/badge-ok/)
  await expect(runs.outcome('Success')).toContainText('2')
  // Nobody was on the empty phone: no logout was sent to it.
  await expect(runs.outcome('Nobody to log out')).toContainText('1')
  await expect(runs.outcome('Unknown device')).toContainText('1')
  await expect(runs.itemRow('SEPFFFFFFFFFFFF')).toContainText('Unknown device')
  await expect(runs.itemRow('SEP001122334455')).toContainText('Success')
  await expect(runs.itemRow('SEP001122334466')).toContainText('jane.doe@example.com')
  await expect(runs.itemRow('SEP00AABBCCDDEE')).toContainText('Nobody to log out')
  await expect(runs.itemRow('SEP001122334455').getByRole('link', { name: /audit record of SEP001122334455$/ })).toBeVisible()
  // The re-check, two seconds later, confirms every phone logged out is free.
  await expect(runs.run.getByText('Re-checked', { exact: true })).toBeVisible({ timeout: 15_000 })
  await expect(runs.run.getByRole('status').filter({ hasText: 'Re-checked' })).toContainText('2 of 2 devices confirmed logged out')
  await expect(runs.itemRow('SEP001122334455')).toContainText('Verified')
  // Demo mode has two clusters: each row's cells sit under their headers, the cluster's included.
  // Read once the re-check is shown: it adds a column, and between two reads it made the headers 7, the cells 8.
  const headers = (await runs.finishedItems.getByRole('columnheader').allTextContents()).map((text) => text.trim())
  const cells = (await runs.itemRow('SEP001122334455').locator('th, td').allTextContents()).map((text) => text.trim())
  expect(cells).toHaveLength(headers.length)
  expect(cells[headers.findIndex((header) => header.startsWith('Cluster'))]).toBe('HQ (demo)')
  expect(cells[headers.findIndex((header) => header.startsWith('User'))]).toBe('jdoe')
  // An item settled at its look-up, nothing sent to its phone, says when as the others do.
  for (const device of ['SEPFFFFFFFFFFFF', 'SEP00AABBCCDDEE']) {
    const settled = (await runs.itemRow(device).locator('th, td').allTextContents()).map((text) => text.trim())
    expect(settled[headers.findIndex((header) => header.startsWith('Finished'))]).toMatch(/\d\d:\d\d/)
  }

  await saveScreenshot('bulk-runs-done')

  const downloading = page.waitForEvent('download')
  await runs.downloadLink.click()
  const download = await downloading
  expect(download.suggestedFilename()).toBe(`em-console-run-${runId.slice(0, 8)}.csv`)
  const results = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').split('\r\n')
  expect(results[0]).toBe('device,cluster,user,action,action_key,outcome,outcome_key,emapi_code,message,time,verified,audit_id,trigger,trigger_key,actor,time_utc,profile,duration')
  expect(results.find((line) => line.startsWith('SEP001122334455,'))).toMatch(/^SEP001122334455,hq,jdoe,Log out,logout,Success,success,.*,true,\d+,Web,ui,demo,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,,$/)
  expect(results.find((line) => line.startsWith('SEP00AABBCCDDEE,'))).toMatch(/^SEP00AABBCCDDEE,hq,,Log out,logout,Nobody to log out,empty,,Nobody is logged in/)
  expect(results.find((line) => line.startsWith('SEPFFFFFFFFFFFF,'))).toMatch(/^SEPFFFFFFFFFFFF,,,Log out,logout,Unknown device,not-found,/)

  // The run page is an address: a reload reads the run again.
  await page.reload()
  await expect(runs.state).toHaveText('State: Done')
  await expect(runs.progress).toHaveAttribute('aria-valuenow', '4')
  await expect(runs.itemRow('SEP001122334466')).toContainText('Success')

  // The run's audit trail in History, and back from one of its records to the run.
  await runs.auditLink.click()
  await expect(history.run).toHaveValue(runId)
  const logoutOf = (device: string) => history.rows().filter({ hasText: 'Log out' }).filter({ hasText: device })
  await expect(logoutOf('SEP001122334455')).toHaveCount(1)
  await expect(logoutOf('SEP001122334466')).toHaveCount(1)
  await expect(history.rows().filter({ hasText: 'Device look-up' }).first()).toBeVisible()
  // Only the run's: the sign-in that opened this session is not among them.
  await expect(history.rows().filter({ hasText: 'Sign-in' })).toHaveCount(0)
  // The run's summary sent CUCM nothing: no word of a masked password in a request there is not.
  await history.openRecord(history.rows().filter({ hasText: 'Bulk run' }))
  await expect(history.detail.getByLabel('Request XML')).toHaveText('(no request was sent)')
  await expect(history.detail.getByText('The application user\'s password is masked.')).toHaveCount(0)
  await history.openRecord(logoutOf('SEP001122334455'))
  await expect(history.detail.getByRole('link', { name: 'Every record of this run' })).toBeVisible()
  await expect(history.detail.getByText('The application user\'s password is masked.')).toBeVisible()
  await saveScreenshot('history-of-a-run')
  await history.detail.getByRole('link', { name: 'Open the run' }).click()
  await expect(page).toHaveURL(new RegExp(`#/runs/${runId}$`))
  await expect(runs.state).toHaveText('State: Done')

  await page.getByRole('link', { name: '← All bulk runs' }).click()
  await expect(runs.recentRun(runId)).toContainText('Logout of the devices in the uploaded file "office-3.csv"')
  await saveScreenshot('bulk-runs')
})

test('an admin logs a list of users out wherever they are: each user\'s phone is found, an unknown user is said to be one', async ({ runs, page }) => {
  await runs.open()
  await runs.chooseAction('Log out users')
  await expect(runs.pasteList).toHaveAccessibleName('Paste user IDs')
  // A list that begins with a user named "user" is no header: that line is a line of users.
  await runs.pasteList.fill('user, jdoe')
  await runs.previewButton.click()
  await expect(runs.previewRow('user')).toContainText('Unknown user')
  await expect(runs.previewRow('jdoe')).toContainText('SEP001122334455')
  // Pasted from a spreadsheet's column (its header, a quoted cell) and a ticket: commas and lines, one
  // user twice in another case, one entry too long to be a user ID.
  // A file in UTF-16 without its byte-order mark (the browser reads one with it) is said to be one,
  // once, not each entry not a user ID.
  await runs.csvFile.setInputFiles({ name: 'users.txt', mimeType: 'text/plain', buffer: Buffer.from('user\r\njdoe\r\n', 'utf16le') })
  await expect(runs.newRun.getByRole('alert')).toHaveText('The file is UTF-16 text without its byte order mark, or not text at all. In Excel, save it with File → Save As → "CSV UTF-8 (Comma delimited)" and upload that.')
  await runs.newRun.getByRole('button', { name: 'Remove file' }).click()
  await runs.pasteList.fill(`User ID\n"jdoe", jane.doe@example.com\nnobody-here\nJDOE\n${'x'.repeat(130)}`)
  await expect(runs.newRun.getByRole('alert')).toContainText('1 entry is not a user ID and will be left out. User IDs have up to 128 characters')
  await runs.recheckAfter.fill('0')
  await runs.previewButton.click()

  await expect(runs.previewRow('jdoe')).toContainText('SEP001122334455')
  await expect(runs.previewRow('jdoe')).toContainText('Will be logged out')
  await expect(runs.previewRow('jane.doe@example.com')).toContainText('SEP001122334466')
  await expect(runs.previewRow('nobody-here')).toContainText('Unknown user')
  await expect(runs.preview.getByRole('row')).toHaveCount(4)
  await expect(runs.newRun).toContainText('Sends a logout for 2 devices; excluded devices, unknown users and users logged in nowhere are skipped.')

  await runs.startButton.click()
  await expect(page).toHaveURL(/#\/runs\/[0-9a-f-]{36}$/)
  await expect(runs.state).toHaveText('State: Done')
  await expect(runs.title).toContainText('Logout of 3 users (jdoe, jane.doe@example.com, nobody-here)')
  await expect(runs.itemRow('SEP001122334455')).toContainText('jdoe')
  await expect(runs.itemRow('SEP001122334455')).toContainText('Success')
  await expect(runs.itemRow('SEP001122334466')).toContainText('Success')
  await expect(runs.finishedItems.getByRole('row').filter({ hasText: 'nobody-here' })).toContainText('Unknown user')
  // The counts say what the rows say: the unknown user is not called a device, nor "not found";
  // the run's items are its devices and its users.
  await expect(runs.outcome('Unknown user')).toContainText('1')
  await expect(runs.outcomes).not.toContainText('Unknown device')
  await expect(runs.outcomes).not.toContainText('Not found')
  await expect(runs.progressLabel).toHaveText('3 of 3 devices and users finished')
  await expect(runs.itemsFilter).toContainText('Unknown user (1)')
  // The recent runs count its items in the same words: not "Devices" over a run that holds a user.
  const runId = page.url().split('/').pop() ?? ''
  await page.getByRole('link', { name: '← All bulk runs' }).click()
  await expect(runs.recentRuns.getByRole('columnheader', { name: 'Items' })).toBeVisible()
  await expect(runs.recentRun(runId)).toContainText('3 devices and users')
})

test('an admin logs users in without a time limit: "indefinite" in the duration column, empty for the cluster\'s default', async ({ runs }) => {
  await runs.open()
  await runs.chooseAction('Log users in')
  await expect(runs.newRun).toContainText('duration in minutes, "indefinite" for no automatic logout, empty for the cluster\'s default')
  await runs.paste('device,user,profile,duration\nSEP00AABBCCDDEE,jdoe,,indefinite\nSEPFFFFFFFFFFFF,jdoe,,forever\n')
  await runs.previewButton.click()
  await expect(runs.previewRow('SEP00AABBCCDDEE')).toContainText('Will be logged in')
  await expect(runs.problems).toContainText('Line 3: duration "forever" is not a whole number of minutes, nor "indefinite" (no automatic logout); leave it empty for the cluster\'s default')
  await expect(runs.problems).not.toContainText('Line 2')
})

test('an admin cancels a slow run: it says how far it got, counts failures apart from what it did not reach, and retries each on its own', async ({ runs, page, simulator, saveScreenshot }) => {
  // Twelve logins of one user: CUCM refuses all but one (25, or 18 where someone is on the phone),
  // so the run has failures. CUCM holds the logins' answers and four go at a time: a cancel during
  // the first four leaves the other eight unsent.
  await simulator.hold('changes')
  await runs.startLogins(SEED_PHONES, 'asmith')
  const firstRun = page.url()

  await expect(runs.state).toHaveText('State: Running')
  await runs.cancelButton.click()
  await expect(runs.state).toHaveText('State: Cancelling')
  await simulator.hold('none')
  await expect(runs.state).toHaveText('State: Cancelled', { timeout: 20_000 })
  await expect(runs.outcome('Cancelled')).toBeVisible()
  const count = async (label: string): Promise<number> => await runs.outcome(label).count() === 0 ? 0 : Number((await runs.outcome(label).innerText()).match(/\d+/)?.[0])
  const cancelled = await count('Cancelled')
  const failed = await count('Failed') + await count('Error')
  expect(cancelled).toBe(8)
  expect(failed).toBeGreaterThan(0)
  // Not "12 of 12 finished, 100%": the logins in flight finished, the others were never sent.
  const reached = 12 - cancelled
  await expect(runs.progressLabel).toHaveText(`Cancelled after ${reached} of 12 devices`)
  await expect(runs.progress).toHaveAttribute('aria-valuenow', String(reached))
  // The items' heading counts those not reached apart, not as 12 finished of 12.
  await expect(runs.run.getByRole('heading', { name: /^Finished devices/ })).toHaveText(`Finished devices (12 of 12, ${cancelled} of them not reached)`)
  await expect(runs.retryButton).toHaveText(`Retry failed (${failed})`)
  await expect(runs.runRestButton).toHaveText(`Run the rest (${cancelled})`)
  await expect(runs.run.getByText('No re-check was asked for this run.')).toBeVisible()
  await saveScreenshot('bulk-runs-cancelled')

  await runs.itemsFilter.selectOption({ label: `Failed only (${failed})` })
  const rows = runs.finishedItems.locator('tbody').getByRole('row')
  await expect(rows).toHaveCount(failed)
  for (const row of await rows.all()) await expect(row).toContainText(/Failed|Error/)

  const asked = page.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith('/retry'))
  // It sends logins again: asked once, in place.
  await runs.runRestButton.click()
  await expect(runs.run.getByRole('group', { name: 'Confirm running the rest' })).toContainText(`Send a login to the ${cancelled} devices this run did not reach, as a new run?`)
  await runs.run.getByRole('button', { name: 'Run them' }).click()
  expect((await asked).postDataJSON()).toEqual({ scope: 'rest' })
  await expect(page).not.toHaveURL(firstRun)
  await expect(runs.state).toHaveText('State: Done', { timeout: 15_000 })
  // Done, but its logins failed (the user is on a phone already): not the green of a clean run.
  await expect(runs.state.locator('.badge')).toHaveClass(/badge-warn/)
  await expect(runs.progress).toHaveAttribute('aria-valuemax', String(cancelled))
  const firstId = firstRun.split('/').pop()?.slice(0, 8) ?? ''
  await expect(runs.run.getByText('Retry of', { exact: true })).toBeVisible()
  await expect(runs.run.getByRole('link', { name: firstId })).toBeVisible()
  // Its heading says what it is, as the list of runs does.
  const restId = page.url().split('/').pop() ?? ''
  await expect(runs.title).toHaveText(`Rest of run ${firstId}, the items it did not reach ${restId.slice(0, 8)}`)
  await page.getByRole('link', { name: '← All bulk runs' }).click()
  await expect(runs.recentRun(restId)).toContainText(`Rest of run ${firstId}, the items it did not reach`)
  // Back on the first run, the rest is not offered again (a second click was refused 409): its run is named instead.
  await page.goto(firstRun)
  await expect(runs.run.getByText(/^The devices not reached were run in run/)).toContainText(`The devices not reached were run in run ${restId.slice(0, 8)} by`)
  await expect(runs.run.getByRole('link', { name: restId.slice(0, 8) })).toHaveAttribute('href', `#/runs/${restId}`)
  await expect(runs.runRestButton).toHaveCount(0)
  await expect(runs.retryButton).toHaveText(`Retry failed (${failed})`)
})

test('the list of runs goes back further than its first page: Show older runs brings the next ones', async ({ runs, api }) => {
  const start = async (): Promise<string> => {
    const started = await api.post('/api/runs', { action: 'logout', verifyAfterSeconds: 0, devices: ['SEP00AABBCCDDEE'] })
    expect(started.status(), await started.text()).toBe(202)
    return (await started.json() as RunStarted).id
  }
  // One run, then the twenty that push it off the first page.
  const oldest = await start()
  const newer: string[] = []
  for (let i = 0; i < 20; i++) newer.push(await start())
  await runs.open()
  await expect(runs.recentRun(newer[19] ?? '')).toBeVisible()
  await expect(runs.recentRuns.locator('tbody').getByRole('row')).toHaveCount(20)
  await expect(runs.recentRun(oldest)).toHaveCount(0)
  await runs.recentRuns.getByRole('button', { name: 'Show older runs' }).click()
  await expect(runs.recentRun(oldest)).toContainText('Bulk logout')
  expect(await runs.recentRuns.locator('tbody').getByRole('row').count()).toBeGreaterThan(20)
})

test('each run says what it was, in the list of runs and as its page\'s heading', async ({ runs, api }) => {
  try {
    expect((await api.put('/api/settings', { ...NO_SETTINGS, deviceLists: [{ name: 'Lobby', devices: ['SEP00AABBCCDDEE'] }] })).status()).toBe(200)
    const start = async (body: object): Promise<string> => {
      const started = await api.post('/api/runs', { action: 'logout', verifyAfterSeconds: 0, ...body })
      expect(started.status(), await started.text()).toBe(202)
      return (await started.json() as RunStarted).id
    }
    // The same empty phone three ways: a device list of Settings, a session picked on the Sessions screen, a pasted name.
    const listRun = await start({ list: 'Lobby' })
    const pickedRun = await start({ located: [{ device: 'SEP00AABBCCDDEE', cluster: 'hq' }] })
    const pastedRun = await start({ devices: ['SEP00AABBCCDDEE'] })
    await runs.open()
    await expect(runs.recentRun(listRun)).toContainText('Per-device logout of the list "Lobby"')
    await expect(runs.recentRun(pickedRun)).toContainText('Logout of sessions picked on the Sessions screen')
    await expect(runs.recentRun(pastedRun)).toContainText('Bulk logout')
    await runs.recentRuns.getByRole('link', { name: listRun.slice(0, 8), exact: true }).click()
    await expect(runs.title).toHaveText(`Per-device logout of the list "Lobby" ${listRun.slice(0, 8)}`)
    await expect(runs.state).toHaveText('State: Done')
  } finally {
    expect((await api.put('/api/settings', NO_SETTINGS)).status()).toBe(200)
  }
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
    await expect(overview.savedListPreview.getByRole('row', { name: /SEP00AABBCCDDEE/ })).toContainText('Nobody to log out')
    await expect(overview.savedListConfirmButton).toBeDisabled()
    await overview.confirmationInput.fill('LOG OUT ALL')
    // What Start sends, apart from the empty phone it only looks at again.
    await expect(overview.savedListConfirmButton).toHaveText('One by one: log out 1 device, look at 1 empty device again')
    await saveScreenshot('overview-logout-all-saved-list')
    await expect(overview.dialog).toContainText('the list “Lobby”, the first device list of Settings')
    // Another admin puts another list first meanwhile: Start runs the list previewed, not theirs.
    const lobby = { name: 'Lobby', devices: ['SEP001122334455', 'SEP001122334466', 'SEP00AABBCCDDEE'] }
    expect((await api.put('/api/settings', { exemptions: { devices: ['SEP001122334466'], users: [] }, deviceLists: [{ name: 'Ward', devices: ['SEP0000000000AA'] }, lobby] })).status()).toBe(200)
    await overview.savedListConfirmButton.click()

    await expect(page).toHaveURL(/#\/runs\/[0-9a-f-]{36}$/)
    await expect(runs.title).toContainText('Per-device logout of the list "Lobby"')
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

  await runs.newRun.getByLabel('Show', { exact: true }).selectOption({ label: 'Nobody to log out (1)' })
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText('SEP00AABBCCDDEE')

  const downloading = page.waitForEvent('download')
  await runs.newRun.getByRole('button', { name: 'Export CSV' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toMatch(/\.csv$/)
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/)
  expect(csv[0]).toBe('Device,Current user,What happens,Why')
  // What the table shows: the filter applies to the export too.
  expect(csv.slice(1)).toEqual(['SEP00AABBCCDDEE,,Nobody to log out,Nobody is logged in: nothing to send'])

  await runs.startButton.click()
  await expect(page).toHaveURL(/#\/runs\/[0-9a-f-]{36}$/)
  await expect(runs.state).toHaveText('State: Done')
  // The run started: the draft is spent.
  await runs.open()
  await expect(runs.pasteList).toHaveValue('')
})

test('a double click on Start starts one run: the second click, before the button shows it is busy, sends nothing', async ({ runs, page }) => {
  await runs.open()
  await runs.chooseAction('Log out devices')
  await runs.pasteList.fill('SEP001122334455\nSEP001122334466')
  await runs.recheckAfter.fill('0')
  await runs.previewButton.click()
  await expect(runs.preview).toBeVisible()
  let started = 0
  page.on('request', (request) => { if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/runs') started++ })
  await runs.startButton.dblclick()
  await expect(page).toHaveURL(/#\/runs\/[0-9a-f-]{36}$/)
  await expect(runs.state).toHaveText('State: Done')
  expect(started).toBe(1)
})

test('a long pasted list is read once typing pauses: a Preview, another screen or a reload right after a keystroke takes what the box holds', async ({ runs, shell, page }) => {
  await runs.open()
  await runs.chooseAction('Log out devices')
  // 1,000 names (16,000 characters): read, and kept for the tab, once typing pauses, not in each keystroke.
  const names = numberedDevices(1000, 'BEEF')
  await runs.paste(names.join('\n'))
  await expect(runs.previewButton).toBeEnabled()
  await runs.pasteList.press('Control+End')
  await runs.pasteList.pressSequentially('\nSEP001122334455')
  const asked = page.waitForRequest((request) => request.url().includes('/api/runs/preview'))
  await runs.previewButton.click()
  const devices = ((await asked).postDataJSON() as { devices: string[] }).devices
  expect(devices).toHaveLength(1001)
  expect(devices.at(-1)).toBe('SEP001122334455')

  await runs.pasteList.pressSequentially('\nSEP00AABBCCDDEE')
  // Another screen at once, before typing has paused long enough for the draft to be kept.
  await page.evaluate(() => { window.location.hash = '#/devices' })
  await expect(shell.heading).toHaveText('Devices')
  await shell.goTo('Bulk runs')
  const typed = [...names, 'SEP001122334455', 'SEP00AABBCCDDEE'].join('\n')
  await expect(runs.pasteList).toHaveValue(typed)

  await runs.pasteList.press('Control+End')
  await runs.pasteList.press('Backspace')
  await page.reload()
  await expect(runs.pasteList).toHaveValue(typed.slice(0, -1))
  await runs.pasteList.fill('')
})

test('a long list previewed right after a keystroke is the one Start runs, before the screen has read it again', async ({ runs, page }) => {
  await page.clock.install()
  await runs.open()
  await runs.chooseAction('Log out devices')
  await runs.recheckAfter.fill('0')
  // 1,000 names CUCM does not know (16,000 characters): read once typing pauses, not in each keystroke.
  const names = numberedDevices(1000, 'FACE')
  await runs.paste(names.join('\n'))
  await expect(runs.previewButton).toBeEnabled()
  // The page's time stands still: the keystroke's list is not read again until it moves 200 ms.
  await typeUnread(runs.pasteList, '\nSEP00AABBCCDDEE')
  const previewed = page.waitForResponse((response) => response.url().includes('/api/runs/preview'))
  await runs.previewButton.click()
  await previewed
  // The answer is drawn (react-query tells the screen in a timer), a few milliseconds on.
  await expect(async () => {
    await page.clock.runFor(5)
    await expect(runs.startButton).toBeEnabled({ timeout: 100 })
  }).toPass()
  const asked = page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/api/runs')
  await runs.startButton.click()
  const devices = ((await asked).postDataJSON() as { devices: string[] }).devices
  await page.clock.resume()
  expect(devices).toEqual([...names, 'SEP00AABBCCDDEE'])
  await expect(page).toHaveURL(/#\/runs\/[0-9a-f-]{36}$/)
  await expect(runs.state).toHaveText('State: Done')
})

test('a long list pushed past 5,000 names right before Preview is not sent: the form says so once it has read it', async ({ runs, page }) => {
  await page.clock.install()
  await runs.open()
  await runs.chooseAction('Log out devices')
  const names = numberedDevices(5000, 'D00D')
  await runs.paste(names.join('\n'))
  await expect(runs.previewButton).toBeEnabled()
  let previews = 0
  page.on('request', (request) => { if (request.url().includes('/api/runs/preview')) previews++ })
  // The page's time stands still: the keystroke's list is not read again until it moves 200 ms.
  await typeUnread(runs.pasteList, '\nSEP00AABBCCDDEE')
  await runs.previewButton.click()
  await page.clock.resume()
  await expect(runs.newRun.getByRole('alert').filter({ hasText: 'a run takes at most' })).toHaveText('This list has 5,001 devices: a run takes at most 5,000. Split it into several runs.')
  expect(previews).toBe(0)
  await expect(runs.newRun.getByText('Could not preview the run')).toHaveCount(0)
  await runs.paste('')
})

test('a pasted list is kept for the one who pasted it: signed in again it is there, but not in the form of the next person signing in on the tab', async ({ runs, shell, signIn, api, demo, consoleErrors }) => {
  // A read of the page's under way as it signs out is answered 401.
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 401/)
  const other = { username: `olga-${Date.now().toString(36)}`, password: 'the operator of the next shift' }
  expect((await api.post('/api/accounts', { ...other, role: 'operator' })).status()).toBe(201)
  await runs.open()
  await runs.chooseAction('Log out devices')
  await runs.pasteList.fill('SEP001122334455\nSEP00AABBCCDDEE')
  // The same person, back after signing out (or after the session ended): the list is still theirs.
  await shell.signOut()
  await signIn.signIn(demo)
  await expect(runs.pasteList).toHaveValue('SEP001122334455\nSEP00AABBCCDDEE')
  // Someone else on this tab: the form is empty, as everything read under the last session is gone.
  await shell.signOut()
  await signIn.signIn(other)
  await expect(shell.signedInAs).toHaveText(new RegExp(`${other.username}\\s*Operator`))
  await expect(runs.newRun).toBeVisible()
  await expect(runs.pasteList).toHaveValue('')
})

test('a pasted list says what it repeats and when it is more than a run takes, before anything is asked of CUCM', async ({ runs, api }) => {
  await runs.open()
  await runs.chooseAction('Log out devices')
  // A column copied from a spreadsheet: its header is no device, its quotes are no part of a name.
  await runs.pasteList.fill('Device Name\n"SEP001122334455"\n"SEP00AABBCCDDEE"')
  await expect(runs.newRun.getByRole('alert')).toHaveCount(0)
  // Rows copied from a BAT export opened in Excel, with their header: only the device column is
  // read, not each word of a description (the preview below has the two devices alone).
  await runs.pasteList.fill('Description\tDEVICE NAME\tDevice Protocol\nLobby ground floor\tSEP001122334455\tSIP\nOffice 3\tSEP00AABBCCDDEE\tSCCP')
  await expect(runs.newRun.getByRole('alert')).toHaveCount(0)
  // A re-check delay out of range is said under its field; the browser's bubble does not block the preview.
  await runs.recheckAfter.fill('5000')
  await runs.previewButton.click()
  await expect(runs.previewRow('SEP001122334455')).toBeVisible()
  await expect(runs.preview.getByRole('row')).toHaveCount(3)
  await expect(runs.newRun.getByText('Enter whole seconds from 0 to 3600.')).toBeVisible()
  await expect(runs.recheckAfter).toHaveAttribute('aria-invalid', 'true')
  await runs.recheckAfter.fill('0')
  await runs.pasteList.fill('SEP001122334455\nsep001122334455, SEP00AABBCCDDEE SEP00AABBCCDDEE')
  await expect(runs.newRun.getByRole('status').filter({ hasText: 'listed twice' })).toHaveText('2 entries listed twice are asked once.')
  await expect(runs.previewButton).toBeEnabled()
  // Devices of both clusters: the preview says each one's.
  const branchPhone = ((await (await api.get('/api/sessions?cluster=branch&limit=1')).json()) as SessionPage).sessions[0]?.deviceName ?? ''
  await runs.pasteList.fill(`SEP001122334455 ${branchPhone}`)
  await runs.previewButton.click()
  await expect(runs.preview.getByRole('columnheader', { name: 'Cluster' })).toBeVisible()
  await expect(runs.previewRow('SEP001122334455')).toContainText('HQ (demo)')
  await expect(runs.previewRow(branchPhone)).toContainText('Branch (demo)')
  // Two columns copied from Excel without a header, device and user: the devices are the first
  // column (the users were logged out as devices of their names); a login run takes both.
  await runs.pasteList.fill('SEP001122334455\tjdoe\nSEP00AABBCCDDEE\tasmith')
  await expect(runs.newRun.getByRole('status').filter({ hasText: 'first column' })).toContainText('the rest (jdoe, asmith) was left out')
  await runs.previewButton.click()
  await expect(runs.preview.getByRole('row')).toHaveCount(3)
  await expect(runs.previewRow('JDOE')).toHaveCount(0)
  await runs.chooseAction('Log users in')
  await runs.previewButton.click()
  await expect(runs.previewRow('SEP00AABBCCDDEE')).toContainText('asmith')
  await expect(runs.preview.getByRole('row')).toHaveCount(3)
  await runs.chooseAction('Log out devices')
  // 5,001 names: refused here, in words, with the limit.
  await runs.paste(Array.from({ length: 5001 }, (_, i) => `SEP${i.toString(16).toUpperCase().padStart(12, '0')}`).join('\n'))
  await expect(runs.newRun.getByRole('alert').filter({ hasText: 'a run takes at most' })).toHaveText('This list has 5,001 devices: a run takes at most 5,000. Split it into several runs.')
  await expect(runs.previewButton).toBeDisabled()
  await runs.pasteList.fill('')
})

test('a file of thousands of bad rows says how many and shows the first few, so the preview and Start stay in reach', async ({ runs }) => {
  await runs.open()
  await runs.chooseAction('Log out devices')
  // An export gone wrong: 1,500 rows that are no device names, between good ones.
  const rows = ['device', ...Array.from({ length: 3000 }, (_, i) => i % 2 === 1 ? `bad name ${i}` : `SEPABCE${i.toString(16).toUpperCase().padStart(8, '0')}`)]
  await runs.csvFile.setInputFiles({ name: 'export.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) })
  await runs.previewButton.click()
  await expect(runs.problems.getByText(/rows? cannot be used/)).toHaveText('1,500 rows cannot be used and will not run')
  await expect(runs.problems.getByRole('listitem')).toHaveCount(20)
  await expect(runs.problems.getByRole('listitem').first()).toHaveText('Line 3: "bad name 1" is not a device name (letters, digits, dot, dash and underscore; up to 50 characters)')
  await expect(runs.problems).toContainText('And 1,480 more.')
})

test('a file with a quoted field over two lines or a quoted comma is counted and read as the server reads it, not line by line', async ({ runs }) => {
  await runs.open()
  await runs.chooseAction('Log out devices')
  // An inventory export: a description in quotes, with a comma and a line break in it.
  const devices = ['Device Name,Description', 'SEP001122334455,"Lobby, ground floor', 'by the door"', 'SEP00AABBCCDDEE,Office 3']
  await runs.csvFile.setInputFiles({ name: 'inventory.csv', mimeType: 'text/csv', buffer: Buffer.from(devices.join('\r\n')) })
  await expect(runs.newRun.getByText('(2 rows)', { exact: true })).toBeVisible()
  await runs.newRun.getByRole('button', { name: 'Remove file' }).click()

  // A directory export: an address over two lines; a user ID with a comma, quoted as CSV quotes it.
  await runs.chooseAction('Log out users')
  const users = ['user,address', 'jdoe,"1 Main St', 'Springfield"', '"doe, jane",x']
  await runs.csvFile.setInputFiles({ name: 'directory.csv', mimeType: 'text/csv', buffer: Buffer.from(users.join('\n')) })
  await expect(runs.newRun.getByText('(2 rows)', { exact: true })).toBeVisible()
  await runs.previewButton.click()
  await expect(runs.previewRow('jdoe')).toContainText('SEP001122334455')
  await expect(runs.previewRow('doe, jane')).toContainText('Unknown user')
  await expect(runs.preview.getByRole('row')).toHaveCount(3)
  await runs.newRun.getByRole('button', { name: 'Remove file' }).click()
})

test('a run of more devices than one page offers no sorting that would sort only the page on screen, and says how many pages there are', async ({ api, page }) => {
  const devices = Array.from({ length: 150 }, (_, i) => `SEPEEEE0000${i.toString(16).toUpperCase().padStart(4, '0')}`)
  const started = await api.post('/api/runs', { action: 'logout', devices, verifyAfterSeconds: 0 })
  expect(started.status()).toBe(202)
  const runId = (await started.json() as RunStarted).id
  await page.goto(`/#/runs/${runId}`)
  const pager = page.getByRole('navigation', { name: 'Pages of devices' })
  await expect(pager).toContainText('Page 1 of 2')
  const table = page.getByRole('table', { name: /^Finished devices/ })
  await expect(table.getByRole('columnheader', { name: 'Device' })).toBeVisible()
  await expect(table.getByRole('columnheader').getByRole('button')).toHaveCount(0)
  const next = pager.getByRole('button', { name: 'Next →' })
  const firstRow = table.getByRole('rowheader').first()
  const firstOfPage1 = await firstRow.textContent() ?? ''

  // By keyboard: the last page keeps the focus on Next (no further page: unavailable), and its
  // number is said as a status. A disabled Next dropped the focus to the top of the page.
  await next.focus()
  await page.keyboard.press('Enter')
  await expect(pager.getByRole('status')).toHaveText('Page 2 of 2')
  await expect(next).toBeFocused()
  await expect(next).toHaveAttribute('aria-disabled', 'true')
  await expect(firstRow).not.toHaveText(firstOfPage1)
  await page.keyboard.press('Enter')
  await expect(pager.getByRole('status')).toHaveText('Page 2 of 2')

  // The page is part of the address, as History's are: a reload stays on it, Back returns to the first.
  await expect(page).toHaveURL(new RegExp(`#/runs/${runId}\\?after=\\d+$`))
  await page.reload()
  await expect(pager.getByRole('status')).toHaveText('Page 2 of 2')
  await page.goBack()
  await expect(pager.getByRole('status')).toHaveText('Page 1 of 2')
  await expect(firstRow).toHaveText(firstOfPage1)
  // So is the filter: its choice starts again at its first page, and Back returns to all.
  await page.goForward()
  await expect(pager.getByRole('status')).toHaveText('Page 2 of 2')
  await page.getByLabel('Show').selectOption({ label: 'Unknown device (150)' })
  await expect(pager.getByRole('status')).toHaveText('Page 1 of 2')
  await expect(page).toHaveURL(new RegExp(`#/runs/${runId}\\?show=not-found$`))
  await page.goBack()
  await expect(pager.getByRole('status')).toHaveText('Page 2 of 2')
  await expect(page.getByLabel('Show')).toHaveValue('all')
})

test('the re-check of a run of thousands of devices groups its counts, as the rest of the page does', async ({ api, page }) => {
  const started = await api.post('/api/runs', { action: 'logout', devices: ['SEPFFFFFFFFFFFF'], verifyAfterSeconds: 0 })
  expect(started.status()).toBe(202)
  const runId = (await started.json() as RunStarted).id
  await expect.poll(async () => (await (await api.get(`/api/runs/${runId}`)).json() as Run).state).toBe('done')
  // The server's answer as for a run of 1,665 phones whose re-check found one logged in again.
  await page.route(new RegExp(`/api/runs/${runId}$`), async (route) => {
    const response = await route.fetch()
    const run = await response.json() as Run
    await route.fulfill({ response, json: { ...run, verifyAt: run.finishedAt, verifiedAt: run.finishedAt, recheck: { checked: 1665, confirmed: 1664 } } })
  })
  await page.goto(`/#/runs/${runId}`)
  // It read "1664 of 1,665 devices".
  await expect(page.getByRole('status').filter({ hasText: 'Re-checked' })).toContainText('1,664 of 1,665 devices confirmed logged out')
})

test('with no device list in Settings, "one by one from the first device list" is not offered as if it could run', async ({ api, overview, page }) => {
  expect((await api.put('/api/settings', NO_SETTINGS)).status()).toBe(200)
  await overview.open()
  await overview.logoutAllButton.click()
  await expect(overview.savedListMode).toBeDisabled()
  await expect(overview.dialog.getByText('No device list in Settings yet.')).toBeVisible()
  await page.keyboard.press('Escape')
})

test('the files a Cisco admin has: a BAT export in a German Excel, Excel\'s "Unicode Text", a workbook and a huge file', async ({ runs }) => {
  await runs.open()
  await runs.chooseAction('Log out devices')
  // BAT's phone export as a German Excel saves it: semicolons, the device column second, a name
  // in lower case and a repeated row.
  const bat = ['Description;DEVICE NAME;Device Protocol', '"Empfang; EG";SEP001122334455;SIP', 'Büro 3;sep00aabbccddee;SIP', 'Büro 3;SEP00AABBCCDDEE;SIP'].join('\r\n')
  await runs.csvFile.setInputFiles({ name: 'bat-phones.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${bat}`) })
  await expect(runs.newRun.getByText('(3 rows)', { exact: true })).toBeVisible()
  await expect(runs.newRun.getByRole('status').filter({ hasText: 'Device names from' })).toHaveText('Device names from column 2, "DEVICE NAME". Fields separated by semicolons.')
  await runs.previewButton.click()
  await expect(runs.previewRow('SEP001122334455')).toContainText('jdoe')
  await expect(runs.previewRow('SEP00AABBCCDDEE').first()).toContainText('Nobody to log out')
  await expect(runs.problems).toHaveCount(0)
  await runs.newRun.getByRole('button', { name: 'Remove file' }).click()

  // "Find and List Users" saved as Excel's "Unicode Text": UTF-16 with its mark, tab separated.
  await runs.chooseAction('Log out users')
  const users = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('First Name\tLast Name\tUser ID\r\nJohn\tDoe\tjdoe\r\n', 'utf16le')])
  await runs.csvFile.setInputFiles({ name: 'users.txt', mimeType: 'text/plain', buffer: users })
  await expect(runs.newRun.getByRole('status').filter({ hasText: 'User IDs from' })).toHaveText('User IDs from column 3, "User ID". Fields separated by tabs.')
  await runs.previewButton.click()
  await expect(runs.previewRow('jdoe')).toContainText('SEP001122334455')
  await runs.newRun.getByRole('button', { name: 'Remove file' }).click()

  // The workbook itself, not its CSV: said once, in words, and nothing to preview.
  await runs.chooseAction('Log out devices')
  await runs.csvFile.setInputFiles({ name: 'phones.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from('504b030414000600080000002100621d', 'hex') })
  await expect(runs.newRun.getByRole('alert')).toHaveText('The file is an Excel workbook (.xlsx) or another zip file, not a CSV file. In Excel, save it with File → Save As → "CSV UTF-8 (Comma delimited)" and upload that.')
  await expect(runs.previewButton).toBeDisabled()
  await runs.newRun.getByRole('button', { name: 'Remove file' }).click()

  // A file of one row more than a run takes is said to be so before anything is asked of CUCM.
  const rows = ['Device Name', ...Array.from({ length: 5001 }, (_, i) => `SEP${String(i).padStart(12, '0')}`)].join('\r\n')
  await runs.csvFile.setInputFiles({ name: 'site-a.csv', mimeType: 'text/csv', buffer: Buffer.from(rows) })
  await expect(runs.newRun.getByRole('alert')).toHaveText('This file has 5,001 rows: a run takes at most 5,000. Split it into several runs.')
  await expect(runs.previewButton).toBeDisabled()
  await runs.newRun.getByRole('button', { name: 'Remove file' }).click()

  // A file larger than a run reads is refused before the browser reads it or sends it.
  await runs.csvFile.setInputFiles({ name: 'all-phones.csv', mimeType: 'text/csv', buffer: Buffer.alloc(6 * 1024 * 1024, 'SEP001122334455\n') })
  await expect(runs.newRun.getByRole('alert')).toHaveText('The file is 6 MB: a bulk run reads a CSV file of at most 5 MB (5,000 rows). Split it into several files.')
  await expect(runs.newRun.getByText('all-phones.csv')).toHaveCount(0)
})

test('a CSV file the browser cannot read is said so under the field, and no file is taken as chosen', async ({ runs, page }) => {
  await makeChosenFilesUnreadable(page)
  await runs.open()
  await runs.chooseAction('Log out devices')
  await runs.csvFile.setInputFiles({ name: 'office-3.csv', mimeType: 'text/csv', buffer: Buffer.from('device\r\nSEP001122334455\r\n') })
  await expect(runs.newRun.getByRole('alert')).toHaveText(`The file could not be read: ${NOT_READABLE} Choose it again, or another.`)
  await expect(runs.csvFile).toHaveAccessibleDescription(/The file could not be read/)
  await expect(runs.newRun.getByText('office-3.csv')).toHaveCount(0)
  await expect(runs.pasteList).toBeEnabled()
})

test('a run that sent nothing (every device unknown) says at once why it is not re-checked, in one "Not re-checked", not two', async ({ page, api }) => {
  const started = await api.post('/api/runs', { action: 'logout', verifyAfterSeconds: 60, devices: ['SEPFFFFFFFFFFFF', 'SEPFFFFFFFFFFFE'] })
  expect(started.status(), await started.text()).toBe(202)
  const { id } = await started.json() as RunStarted
  await page.goto(`/#/runs/${id}`)
  // It read "Not re-checked Not re-checked: no login or logout was sent.": the badge, then the server's words whole.
  await expect(page.getByRole('status').filter({ hasText: 'Not re-checked' })).toHaveText('Not re-checked No login or logout was sent.')
})
