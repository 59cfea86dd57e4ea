import { request as playwrightRequest, type Browser } from '@playwright/test'
import type { RunStarted, Schedule, SchedulePreview } from '@em-console/shared/schemas'
import { Api, expect, signInThroughApi, test } from '../fixtures.ts'
import { SchedulesPage } from '../pages/schedules-page.ts'

/** A name no earlier run of the journey used (the database is fresh per run, but --repeat-each is not). */
function uniqueName (prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}`
}

test('an admin creates a schedule from its preview, then edits, disables, runs and deletes it', async ({ api, schedules, overview, shell, page, simulator, consoleErrors, saveScreenshot }) => {
  // The live preview asks about each expression as it is typed; the bad ones answer 400; a run CUCM fails answers 5xx.
  consoleErrors.allow(/Failed to load resource: the server responded with a status of (400|5\d\d)/)
  const name = uniqueName('closing')

  await schedules.open()
  await expect(shell.heading).toHaveText('Schedules')
  await schedules.name.fill(name)

  // A zone is checked as it is typed, also while there is no expression to preview.
  await schedules.cron.fill('')
  await schedules.timezone.fill('Mars/Olympus_Mons')
  await expect(schedules.createForm.getByRole('alert')).toContainText('"Mars/Olympus_Mons" is not an IANA time zone')
  await expect(schedules.timezone).toHaveAttribute('aria-invalid', 'true')
  await schedules.timezone.fill('')

  // A wrong expression is named under its field while typing, before anything is saved.
  // In plain words, what is wrong and what is expected: the label above names the field.
  await schedules.cron.fill('every night at two')
  await expect(schedules.createForm.getByRole('alert')).toHaveText('"every night at two" has 4 fields; only 5-field cron is accepted (5 fields: minute hour day-of-month month day-of-week, e.g. "0 2 * * *" for 02:00 every day).')
  await expect(schedules.cron).toHaveAttribute('aria-invalid', 'true')
  await expect(schedules.fireTimes).toHaveCount(0)
  // Its times written as the fire times below are ("Tue, Nov 24, 02:00"), not "24 Nov 2026, 02:00".
  await schedules.cron.fill('*/5 * * * *')
  await expect(schedules.createForm.getByRole('alert')).toHaveText(/^"\*\/5 \* \* \* \*" fires at [A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}, \d\d:\d\d and again at [A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}, \d\d:\d\d \(.+\); a schedule acts on whole clusters .* at most once every 15 minutes, e\.g\. "\*\/15 \* \* \* \*" or "0 2 \* \* \*"\.$/)

  await schedules.cron.fill('30 18 * * 1-5')
  // Left empty, the zone is the server's default, and the hint names it.
  const serverZone = (await (await api.get('/api/schedules/preview?cron=0%202%20*%20*%20*')).json() as SchedulePreview).timezone
  await expect(schedules.createForm.getByText(`else the server's default (SCHEDULE_TIMEZONE): here ${serverZone}.`)).toBeVisible()
  await schedules.timezone.fill('Mars/Olympus_Mons')
  await expect(schedules.createForm.getByRole('alert')).toContainText('not an IANA time zone')
  await expect(schedules.timezone).toHaveAttribute('aria-invalid', 'true')
  // The expression is fine: what to fix is the zone, which is not shown as the times' zone.
  await expect(schedules.createForm.getByText('Fix the time zone to see when it runs.')).toBeVisible()
  await expect(schedules.createForm.getByText('Times in Mars/Olympus_Mons')).toHaveCount(0)

  await schedules.timezone.fill('UTC')
  await expect(schedules.createForm.getByText('Weekdays at 18:30')).toBeVisible()
  await expect(schedules.createForm.getByText('Times in UTC')).toBeVisible()
  await expect(schedules.fireTimes).toHaveCount(5)
  for (const time of await schedules.fireTimes.all()) await expect(time).toHaveText(/^(Mon|Tue|Wed|Thu|Fri), .+18:30$/)
  await expect(schedules.cron).not.toHaveAttribute('aria-invalid', 'true')
  const firstFireTime = await schedules.fireTimes.first().innerText()
  await saveScreenshot('schedules-create')

  await schedules.createButton.click()
  await expect(schedules.createForm.getByRole('status')).toContainText(`Created schedule ${name}`)
  const row = schedules.row(name)
  await expect(row).toContainText('Weekdays at 18:30')
  await expect(row).toContainText('UTC')
  await expect(row).toContainText('Log out all (cluster-wide)')
  await expect(row).toContainText(firstFireTime)
  await expect(row).toContainText('Not run yet')
  await expect(row.getByRole('switch', { name: `Enabled: ${name}` })).toBeChecked()
  await saveScreenshot('schedules')

  // The Overview tells when the next one fires.
  await shell.goTo('Overview')
  await expect(overview.nextRun).toContainText(name)
  await expect(overview.nextRun).toContainText(firstFireTime)
  await expect(overview.nextRun).toContainText('Weekdays at 18:30')

  // Edit in a dialog, with the same live preview.
  await shell.goTo('Schedules')
  await row.getByRole('button', { name: `Edit ${name}` }).click()
  await expect(schedules.editDialog).toBeVisible()
  await schedules.editDialog.getByLabel('Cron expression').fill('0 7 * * *')
  await expect(schedules.editDialog.getByText('Every day at 07:00')).toBeVisible()
  await expect(schedules.editDialog.getByRole('list', { name: 'Next five runs' }).getByRole('listitem').first()).toHaveText(/07:00$/)
  await saveScreenshot('schedules-edit')
  await schedules.editDialog.getByRole('button', { name: 'Save changes' }).click()
  await expect(schedules.editDialog).toBeHidden()
  await expect(row).toContainText('Every day at 07:00')

  // Disabled, it has no next run, and the Overview says so.
  await row.getByRole('switch', { name: `Enabled: ${name}` }).uncheck()
  await expect(schedules.result(name)).toContainText(`${name} is disabled`)
  await expect(row).toContainText('Disabled')
  await shell.goTo('Overview')
  await expect(overview.nextRun).toContainText('Every schedule is disabled')

  // Run now while CUCM fails: it ran, and failed (it is not said not to have run).
  await shell.goTo('Schedules')
  await simulator.setFault('http-503')
  await schedules.runNow(name)
  await expect(schedules.result(name)).toContainText(`${name} failed`)
  await expect(schedules.result(name)).not.toContainText('did not run')
  // Its row says why, not only a hover's title (which no keyboard or touch reaches).
  await expect(row.getByText('Failed', { exact: true })).toBeVisible()
  await expect(row.locator('.cell-clamp')).toContainText('failed on HQ (demo)')
  await simulator.setFault('none')

  // Run now, recorded as its last run with a link to the audit record.
  await schedules.runNow(name)
  await expect(schedules.result(name)).toContainText('Done')
  await expect(row.getByText('Success', { exact: true })).toBeVisible()
  await expect(row.locator('.cell-clamp')).toHaveCount(0)
  const audit = row.getByRole('link', { name: /Audit record #\d+/ })
  await expect(audit).toBeVisible()
  await audit.click()
  await expect(page).toHaveURL(/#\/history\?id=\d+/)
  await expect(page.getByRole('complementary').getByText('Log out all', { exact: true })).toBeVisible()

  await shell.goTo('Schedules')
  await schedules.delete(name)
  await expect(schedules.row(name)).toHaveCount(0)
})

test('a viewer reads schedules, runs and settings but cannot run, start or change anything', async ({ page, baseURL, demo, shell, schedules, runs, settings }) => {
  // An admin's own context sets the scene, so the page can sign in as the viewer.
  const adminContext = await playwrightRequest.newContext({ baseURL })
  await signInThroughApi(adminContext, demo)
  const admin = new Api(adminContext)
  const viewer = { username: uniqueName('vic'), password: 'viewer password of vic' }
  const name = uniqueName('nightly-viewer')
  let scheduleId: number | undefined
  try {
    expect((await admin.post('/api/accounts', { ...viewer, role: 'viewer' })).status()).toBe(201)
    const created = await admin.post('/api/schedules', { name, cron: '0 2 * * *', timezone: 'UTC' })
    expect(created.status()).toBe(201)
    scheduleId = (await created.json() as Schedule).id
    const started = await admin.post('/api/runs', { action: 'logout', devices: ['SEP00AABBCCDDEE'], verifyAfterSeconds: 0 })
    expect(started.status()).toBe(202)
    const runId = (await started.json() as RunStarted).id

    await signInThroughApi(page.request, viewer)
    await schedules.open()
    await expect(shell.signedInAs).toHaveText(new RegExp(`${viewer.username}\\s*Viewer`))
    const row = schedules.row(name)
    await expect(row).toContainText('Every day at 02:00')
    await expect(row.getByText('Enabled', { exact: true })).toBeVisible()
    await expect(row.getByRole('button')).toHaveCount(0)
    await expect(row.getByRole('switch')).toHaveCount(0)
    await expect(schedules.createForm).toHaveCount(0)

    await shell.goTo('Bulk runs')
    await expect(runs.recentRuns).toBeVisible()
    await expect(runs.newRun).toHaveCount(0)
    await runs.recentRuns.getByRole('link', { name: runId.slice(0, 8), exact: true }).click()
    await expect(runs.progress).toHaveAttribute('aria-valuenow', '1')
    await expect(runs.downloadLink).toBeVisible()
    // No cancel, retry or run-the-rest; the table's header buttons only sort.
    await expect(runs.run.getByRole('button').filter({ hasNotText: /^(Device|Cluster|User|Outcome|Message|Finished|Re-check)/ })).toHaveCount(0)

    await shell.goTo('Settings')
    await expect(page.getByText('Admins change these lists')).toBeVisible()
    await expect(settings.saveButton).toHaveCount(0)
    await expect(page.getByRole('textbox')).toHaveCount(0)
  } finally {
    if (scheduleId !== undefined) await admin.delete(`/api/schedules/${scheduleId}`)
    await adminContext.dispose()
  }
})

test('Run now again while the first still runs, after the row forgot its answer, is said to be running (409), not a click that does nothing', async ({ schedules, simulator, api, consoleErrors }) => {
  // The second is refused (409).
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 409/)
  const name = uniqueName('again')
  const created = await api.post('/api/schedules', { name, cron: '0 2 * * *', timezone: 'UTC', enabled: false })
  expect(created.status()).toBe(201)
  await schedules.open()
  // CUCM holds its answer: the first Run now stays in flight until it is let go.
  await simulator.hold('all')
  await schedules.runNow(name)
  const row = schedules.row(name)
  await expect(row.getByRole('button', { name: `Run now: ${name}` })).toHaveText('Running…')
  // The row's other action forgets the Run now's answer (and, with it, that one is in flight).
  await row.getByRole('switch', { name: `Enabled: ${name}` }).check()
  await expect(schedules.result(name)).toContainText(`${name} is enabled`)
  await schedules.runNow(name)
  await expect(schedules.result(name)).toContainText(`${name} did not run`)
  await expect(schedules.result(name)).toContainText('is running')
  // Let go, the first ends as CUCM answers it.
  await simulator.hold('none')
  await expect(row.getByText(/^Success$/)).toBeVisible()
  await api.delete(`/api/schedules/${(await created.json() as Schedule).id}`)
})

test('Run now asks for the typed words; inline questions close on Escape, after a while, or when another opens', async ({ schedules, page, api }) => {
  const first = uniqueName('typed-a')
  const second = uniqueName('typed-b')
  const ids: number[] = []
  try {
    for (const name of [first, second]) {
      const created = await api.post('/api/schedules', { name, cron: '0 2 * * *', timezone: 'UTC', enabled: false })
      expect(created.status()).toBe(201)
      ids.push((await created.json() as Schedule).id)
    }
    const pools = uniqueName('typed-pools')
    const byPools = await api.post('/api/schedules', { name: pools, cron: '0 2 * * *', timezone: 'UTC', enabled: false, action: 'logout-device-pools', pools: ['DP_CHICAGO'], clusters: ['branch'] })
    expect(byPools.status()).toBe(201)
    ids.push((await byPools.json() as Schedule).id)
    await page.clock.install()
    await schedules.open()

    // Each dialog says what that schedule does: a schedule by device pools is not a device list.
    await schedules.row(pools).getByRole('button', { name: `Run now: ${pools}` }).click()
    await expect(schedules.runNowDialog).toContainText('logs out every session on DP_CHICAGO on Branch (demo)')
    await expect(schedules.runNowDialog).not.toContainText('device list')
    // Not a cluster-wide logout: no "LOG OUT ALL" to type, one button, the safe one focused.
    await expect(schedules.runNowDialog.getByLabel('Type LOG OUT ALL to confirm')).toHaveCount(0)
    await expect(schedules.runNowDialog.getByRole('button', { name: 'Cancel' })).toBeFocused()
    await expect(schedules.runNowDialog.getByRole('button', { name: 'Run now' })).toBeEnabled()
    // Its words wrap inside the dialog (opened from a table cell, they ran off its edge).
    const box = await schedules.runNowDialog.boundingBox()
    const words = await schedules.runNowDialog.getByText(/logs out every session on DP_CHICAGO/).boundingBox()
    expect((words?.x ?? 0) + (words?.width ?? 0)).toBeLessThanOrEqual((box?.x ?? 0) + (box?.width ?? 0))
    await page.keyboard.press('Escape')

    // Its Edit dialog keeps every field in its column, the long hints of pools wrapped: none runs
    // under the preview of the next runs or past the dialog's edge.
    await schedules.row(pools).getByRole('button', { name: `Edit ${pools}` }).click()
    const dialogBox = await schedules.editDialog.boundingBox()
    const preview = await schedules.editDialog.getByRole('list', { name: 'Next five runs' }).boundingBox()
    for (const label of ['Name', 'Action']) {
      const field = await schedules.editDialog.getByLabel(label, { exact: true }).boundingBox()
      expect((field?.x ?? 0) + (field?.width ?? 0), `${label} ends before the preview`).toBeLessThanOrEqual(preview?.x ?? 0)
      expect((field?.x ?? 0) + (field?.width ?? 0), `${label} ends inside the dialog`).toBeLessThanOrEqual((dialogBox?.x ?? 0) + (dialogBox?.width ?? 0))
    }
    await page.keyboard.press('Escape')
    await expect(schedules.runNowDialog).toBeHidden()

    // The same guard as the Overview's button: the exact words, typed.
    const runNow = schedules.row(first).getByRole('button', { name: `Run now: ${first}` })
    await runNow.click()
    const dialog = schedules.runNowDialog
    await expect(dialog).toBeVisible()
    // A schedule of every cluster names them, not "the cluster".
    await expect(dialog).toContainText('Every Extension Mobility user on every cluster, HQ (demo), Branch (demo), is logged out')
    const typed = dialog.getByLabel('Type LOG OUT ALL to confirm')
    await expect(typed).toBeFocused()
    await typed.fill('log out all')
    await expect(dialog.getByRole('button', { name: 'Run now' })).toBeDisabled()
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()
    await expect(runNow).toBeFocused()

    // Escape closes an inline question and gives the focus back to its button.
    const deleteFirst = schedules.row(first).getByRole('button', { name: `Delete ${first}` })
    await deleteFirst.click()
    const askFirst = schedules.row(first).getByRole('group', { name: `Confirm deleting ${first}` })
    await expect(askFirst).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(askFirst).toBeHidden()
    await expect(deleteFirst).toBeFocused()

    // Opening another question closes the first.
    await deleteFirst.click()
    await expect(askFirst).toBeVisible()
    await schedules.row(second).getByRole('button', { name: `Delete ${second}` }).click()
    await expect(schedules.row(second).getByRole('group', { name: `Confirm deleting ${second}` })).toBeVisible()
    await expect(askFirst).toBeHidden()

    // A question left open closes by itself.
    await page.clock.fastForward(60_000)
    await expect(schedules.row(second).getByRole('group', { name: `Confirm deleting ${second}` })).toBeHidden()
    await expect(schedules.row(second).getByRole('button', { name: `Delete ${second}` })).toBeFocused()
  } finally {
    for (const id of ids) await api.delete(`/api/schedules/${id}`)
  }
})

test('Run now of a schedule made a logout of all users since the page read it does not run on one click: it asks for the typed words', async ({ schedules, api, consoleErrors }) => {
  // The server's refusal of a run of a schedule changed since the page read it.
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 409/)
  const name = uniqueName('changed')
  const created = await api.post('/api/schedules', { name, cron: '0 2 * * *', timezone: 'UTC', enabled: false, action: 'logout-device-pools', pools: ['DP_CHICAGO'], clusters: ['branch'] })
  expect(created.status()).toBe(201)
  const id = (await created.json() as Schedule).id
  try {
    await schedules.open()
    await expect(schedules.row(name)).toContainText('DP_CHICAGO')
    // Another admin makes it a logout of all users; this page reads the list again only each minute.
    const changed = await api.patch(`/api/schedules/${id}`, { action: 'logout-all' })
    expect(changed.status(), await changed.text()).toBe(200)
    await schedules.row(name).getByRole('button', { name: `Run now: ${name}` }).click()
    await expect(schedules.runNowDialog.getByLabel('Type LOG OUT ALL to confirm')).toHaveCount(0)
    await schedules.runNowDialog.getByRole('button', { name: 'Run now' }).click()
    await expect(schedules.result(name)).toContainText(`${name} did not run`)
    await expect(schedules.result(name)).toContainText(`Schedule "${name}" changed since you opened it`)
    const after = await (await api.get(`/api/schedules/${id}`)).json() as Schedule
    expect(after.lastRunAt).toBeNull()
    // The list read again shows what it now does: Run now asks for the words.
    await schedules.row(name).getByRole('button', { name: `Run now: ${name}` }).click()
    await expect(schedules.runNowDialog.getByLabel('Type LOG OUT ALL to confirm')).toBeVisible()
  } finally {
    await api.delete(`/api/schedules/${id}`)
  }
})

test('a name with characters a schedule cannot hold is refused in plain words', async ({ schedules }) => {
  await schedules.open()
  await schedules.name.fill('Fermeture été')
  const error = schedules.createForm.getByRole('alert').filter({ hasText: 'Name' })
  await expect(error).toHaveText('Name: letters, digits, space, dot, dash and underscore, starting with a letter or digit; up to 64 characters. "é" is not allowed.')
  await expect(schedules.name).toHaveAttribute('aria-invalid', 'true')
  await expect(schedules.createButton).toBeDisabled()
  await schedules.name.fill('n'.repeat(70))
  await expect(error).toContainText('70 characters, 6 too many')
  await schedules.name.fill('Closing time')
  await expect(schedules.createForm.getByRole('alert')).toHaveCount(0)
})

test('in a 1024 px window every button of a schedule\'s row is in view, none cut off by the table', async ({ page, schedules, api }) => {
  await page.setViewportSize({ width: 1024, height: 800 })
  const name = uniqueName('laptop-row')
  const created = await api.post('/api/schedules', { name, cron: '0 2 * * 1-5', timezone: 'America/Los_Angeles', enabled: false, action: 'logout-device-pools', pools: ['DP_CHICAGO', 'DP_NEWYORK'] })
  expect(created.status()).toBe(201)
  try {
    await schedules.open()
    const row = schedules.row(name)
    await expect(row).toBeVisible()
    const wrap = await row.locator('xpath=ancestor::div[contains(@class, "table-wrap")]').boundingBox()
    const buttons = await row.getByRole('button').all()
    expect(buttons.length).toBeGreaterThanOrEqual(3)
    for (const button of buttons) {
      const box = await button.boundingBox()
      expect((box?.x ?? 0) + (box?.width ?? 0), `${await button.innerText()} ends inside the table`).toBeLessThanOrEqual((wrap?.x ?? 0) + (wrap?.width ?? 0) + 0.5)
    }
  } finally {
    await api.delete(`/api/schedules/${(await created.json() as Schedule).id}`)
  }
})

test('choosing a schedule by device pools does not show an error before the pools field is visited, and a pool name may hold spaces', async ({ schedules, page, consoleErrors }) => {
  // The pool no phone is in is refused with 400 when the schedule is saved.
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 400/)
  await schedules.open()
  await schedules.createForm.getByLabel('Action').selectOption({ label: 'Log out the sessions on device pools…' })
  const pools = schedules.createForm.getByLabel('Device pools')
  await expect(pools).toBeVisible()
  await expect(schedules.createForm.getByText('Enter at least one device pool.')).toHaveCount(0)
  await expect(schedules.createButton).toBeDisabled()
  // Visited and left empty: now it says what is missing.
  await pools.focus()
  await page.keyboard.press('Tab')
  await expect(schedules.createForm.getByRole('alert').filter({ hasText: 'Enter at least one device pool.' })).toBeVisible()

  // A pool's name may hold spaces (CUCM allows them): only commas, semicolons and new lines part
  // names, so the server is asked about the one pool "DP Lab Test", not "DP", "Lab" and "Test".
  await schedules.name.fill(uniqueName('spaced-pool'))
  await schedules.cron.fill('0 2 * * *')
  await pools.fill('DP_OSLO,  DP Lab Test ;')
  await schedules.createButton.click()
  const refusal = schedules.createForm.getByRole('alert').filter({ hasText: 'No phone of the inventory' })
  await expect(refusal).toContainText('is in the device pool "DP Lab Test": check the name.')
})

test('a yearly schedule\'s preview names the year of each run, not five "Mar 28"s that read as one month', async ({ schedules }) => {
  await schedules.open()
  await schedules.cron.fill('30 2 28 3 *')
  await schedules.timezone.fill('Europe/Berlin')
  // Every one of them is a 28 March once the preview has caught up with the expression.
  await expect(schedules.fireTimes).toHaveText(Array(5).fill(/Mar 28/))
  const texts = await schedules.fireTimes.allInnerTexts()
  const years = texts.map((text) => /\b(20\d\d)\b/.exec(text)?.[1])
  expect(years.every((year) => year !== undefined), texts.join(' | ')).toBe(true)
  expect(new Set(years).size, texts.join(' | ')).toBe(5)
})

test('a fire time a night of daylight saving moves says why beside it, not a bare 03:00 for a 02:30 schedule', async ({ schedules }) => {
  await schedules.open()
  // Sundays of March and October: whatever today is, the next five hold the last Sunday of one of them.
  await schedules.cron.fill('30 2 * 3,10 0')
  await schedules.timezone.fill('Europe/Berlin')
  await expect(schedules.fireTimes).toHaveCount(5)
  const moved = schedules.fireTimes.filter({ hasText: 'that night in Europe/Berlin' })
  await expect(moved).toHaveCount(1)
  await expect(moved).toHaveText(/(03:00 ?02:30 does not exist that night in Europe\/Berlin \(the clocks go forward\): runs at 03:00|02:30 ?02:30 happens twice that night in Europe\/Berlin \(the clocks go back\): runs once, at the first)$/)
})

/**
 * Two admins at once: a disabled schedule at 02:00 UTC, and a second admin signed in in their own
 * browser, on the Schedules page. `close` deletes the schedule (if still there) and their browser.
 */
async function withSecondAdmin (prefix: string, { api, browser, baseURL }: { api: Api, browser: Browser, baseURL: string | undefined }) {
  const name = uniqueName(prefix)
  const other = { username: uniqueName('ada'), password: 'the other admin of two' }
  expect((await api.post('/api/accounts', { ...other, role: 'admin' })).status()).toBe(201)
  const created = await api.post('/api/schedules', { name, cron: '0 2 * * *', timezone: 'UTC', enabled: false })
  expect(created.status()).toBe(201)
  const scheduleId = (await created.json() as Schedule).id
  const context = await browser.newContext({ baseURL })
  const close = async (): Promise<void> => {
    await api.delete(`/api/schedules/${scheduleId}`)
    await context.close()
  }
  await signInThroughApi(context.request, other)
  const theirs = new SchedulesPage(await context.newPage())
  await theirs.open()
  return { name, other: other.username, scheduleId, theirs, close }
}

test('two admins edit one schedule: the later save is refused, naming who saved first; the form loads their version and saves on it', async ({ browser, baseURL, api, schedules, consoleErrors }) => {
  consoleErrors.allow(/status of 409/)
  const { name, other, scheduleId, theirs, close } = await withSecondAdmin('edited-by-two', { api, browser, baseURL })
  try {
    await schedules.open()
    await schedules.row(name).getByRole('button', { name: `Edit ${name}` }).click()
    await expect(schedules.editDialog).toBeVisible()
    // Meanwhile the other admin, in their own browser, moves it to 03:00.
    await theirs.changeCron(name, '0 3 * * *')

    // This admin's dialog was opened before: saving it would have put back 02:00 unseen.
    const nameField = schedules.editDialog.getByLabel('Name', { exact: true })
    await nameField.fill(`${name}-x`)
    await schedules.editDialog.getByRole('button', { name: 'Save changes' }).click()
    const refused = schedules.editDialog.getByRole('alert')
    await expect(refused).toContainText(`Schedule "${name}" changed since you opened it: ${other} saved it at`)
    await expect(refused).toContainText('Your change was not saved.')
    const now = await (await api.get(`/api/schedules/${scheduleId}`)).json() as Schedule
    expect([now.name, now.cron]).toEqual([name, '0 3 * * *'])

    // The form, still open, loads their version and says who changed what.
    await schedules.editDialog.getByRole('button', { name: 'Load the current version (drops your edits)' }).click()
    await expect(schedules.editDialog.getByLabel('Cron expression')).toHaveValue('0 3 * * *')
    await expect(nameField).toHaveValue(name)
    const loaded = schedules.editDialog.getByRole('status').filter({ hasText: 'Loaded the version' })
    await expect(loaded).toContainText(`Loaded the version ${other} saved at`)
    await expect(loaded).toContainText('cron expression "0 2 * * *" → "0 3 * * *"')
    await expect(refused).toHaveCount(0)

    // Made again on that version, the edit is taken and keeps theirs.
    await nameField.fill(`${name}-x`)
    await schedules.editDialog.getByRole('button', { name: 'Save changes' }).click()
    await expect(schedules.editDialog).toBeHidden()
    const saved = await (await api.get(`/api/schedules/${scheduleId}`)).json() as Schedule
    expect([saved.name, saved.cron]).toEqual([`${name}-x`, '0 3 * * *'])
  } finally {
    await close()
  }
})

test('two admins on the schedule list: a switch or delete from the older view is refused, naming who changed it, and the list reads it again', async ({ browser, baseURL, api, schedules, consoleErrors }) => {
  consoleErrors.allow(/status of 409/)
  const { name, other, theirs, close } = await withSecondAdmin('switched-by-two', { api, browser, baseURL })
  try {
    const mine = schedules.row(name).getByRole('switch', { name: `Enabled: ${name}` })
    await schedules.open()
    await expect(mine).not.toBeChecked()

    // The other admin, on their own list, moves it to 03:00.
    await theirs.changeCron(name, '0 3 * * *')

    // This admin's list still shows 02:00: enabling from it would start a schedule whose time they have not seen.
    await expect(schedules.row(name)).toContainText('0 2 * * *')
    await mine.click()
    const refused = schedules.result(name).getByRole('alert')
    await expect(refused).toContainText(`Could not change ${name}`)
    await expect(refused).toContainText(`Schedule "${name}" changed since you opened it: ${other} saved it at`)
    await expect(refused).toContainText('Your change was not saved.')
    // Read again: the row shows their change, and the switch what is saved.
    await expect(schedules.row(name)).toContainText('0 3 * * *')
    await expect(mine).not.toBeChecked()

    // They enable it; deleting from this admin's older view would throw that away unseen.
    await theirs.row(name).getByRole('switch', { name: `Enabled: ${name}` }).click()
    await expect(theirs.result(name)).toContainText(`${name} is enabled.`)
    await schedules.delete(name)
    await expect(refused).toContainText(`Could not delete ${name}`)
    await expect(refused).toContainText('It was not deleted.')
    await expect(mine).toBeChecked()

    // From the list as read again, the delete goes through.
    await schedules.delete(name)
    await expect(schedules.row(name)).toHaveCount(0)
  } finally {
    await close()
  }
})

test('Run now confirmed on a schedule another admin changed since the dialog opened is refused, naming them: it runs only what was shown', async ({ browser, baseURL, api, schedules, consoleErrors }) => {
  consoleErrors.allow(/status of 409/)
  const name = uniqueName('older-by-two')
  const other = { username: uniqueName('ada'), password: 'the other admin of two' }
  expect((await api.post('/api/accounts', { ...other, role: 'admin' })).status()).toBe(201)
  const created = await api.post('/api/schedules', { name, cron: '0 2 * * *', timezone: 'UTC', enabled: false, action: 'logout-older-than', hours: 12, clusters: ['branch'] })
  expect(created.status()).toBe(201)
  const opened = await created.json() as Schedule
  const context = await browser.newContext({ baseURL })
  try {
    await signInThroughApi(context.request, other)
    const theirs = new Api(context.request)
    await schedules.open()
    await schedules.row(name).getByRole('button', { name: `Run now: ${name}` }).click()
    await expect(schedules.runNowDialog).toContainText('logs out every session older than 12 h on Branch (demo)')
    // Meanwhile the other admin makes it log out every session older than 1 hour, on every cluster.
    expect((await theirs.patch(`/api/schedules/${opened.id}`, { hours: 1, clusters: null, updatedAt: opened.updatedAt })).status()).toBe(200)

    await schedules.runNowDialog.getByRole('button', { name: 'Run now' }).click()
    const refused = schedules.result(name).getByRole('alert')
    await expect(refused).toContainText(`Schedule "${name}" changed since you opened it: ${other.username} saved it at`)
    await expect(refused).toContainText('It was not run.')
    const now = await (await api.get(`/api/schedules/${opened.id}`)).json() as Schedule
    expect(now.lastAuditId).toBeNull()
    // Read again: the row shows what would run now.
    await expect(schedules.row(name)).toContainText('older than 1 h')
  } finally {
    await api.delete(`/api/schedules/${opened.id}`)
    await context.close()
  }
})

test('a double click on Create schedule creates it once and says nothing of a schedule that already exists', async ({ schedules, page, api }) => {
  const name = `double-${Date.now().toString(36)}`
  // A slow server: the second click comes while the first save is on its way.
  let posts = 0
  await page.route('**/api/schedules', async (route) => {
    if (route.request().method() === 'POST') {
      posts++
      await new Promise((resolve) => setTimeout(resolve, 1500))
    }
    await route.fallback()
  })
  await schedules.open()
  await schedules.name.fill(name)
  await schedules.createButton.dblclick()
  await expect(schedules.row(name)).toBeVisible()
  await expect(schedules.createForm.getByText('already exists')).toBeHidden()
  expect(posts).toBe(1)
  const listed = (await (await api.get('/api/schedules')).json() as { schedules: Array<{ id: number, name: string }> }).schedules
  for (const schedule of listed.filter((s) => s.name === name)) await api.delete(`/api/schedules/${schedule.id}`)
})
