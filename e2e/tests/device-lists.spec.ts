import type { Schedule, Settings, SettingsUpdate } from '@em-console/shared/schemas'
import type { Locator } from '@playwright/test'
import { expect, numberedDevices, paste, signInThroughApi, test, typeUnread, type Api } from '../fixtures.ts'
import { SettingsPage } from '../pages/settings-page.ts'

const NO_SETTINGS: SettingsUpdate = { exemptions: { devices: [], users: [] }, deviceLists: [] }

test('an admin keeps several device lists, and a schedule logs out the one it names', async ({ settings, schedules, shell, api, page, saveScreenshot }) => {
  const name = `ward-b-${Date.now().toString(36)}`
  try {
    await settings.open()
    await expect(shell.heading).toHaveText('Settings')
    await settings.addList('Ward A', 'SEP001122334455')
    await settings.addList('Ward B', 'sep001122334466, SEP00AABBCCDDEE')

    // Two lists cannot share a name (compared as CUCM compares names: case aside).
    await settings.list(2).name.fill('ward a')
    await expect(settings.list(2).group).toContainText('Another list is named "ward a"')
    await expect(settings.list(2).name).toHaveAttribute('aria-invalid', 'true')
    await expect(settings.saveButton).toBeDisabled()
    await settings.list(2).name.fill('Ward B')
    await settings.saveButton.click()
    await expect(settings.saved).toBeVisible()
    await saveScreenshot('settings-device-lists')

    await page.reload()
    await expect(settings.list(1).name).toHaveValue('Ward A')
    await expect(settings.list(2).name).toHaveValue('Ward B')
    await expect(settings.list(2).devices).toHaveValue('SEP001122334466\nSEP00AABBCCDDEE')

    // A schedule picks Ward B; running it logs out Ward B's phones only.
    await shell.goTo('Schedules')
    await schedules.name.fill(name)
    await schedules.cron.fill('0 3 * * *')
    await schedules.action.selectOption({ label: 'Log out a device list' })
    await expect(schedules.deviceList.getByRole('option')).toHaveText(['The first list (now "Ward A")', 'Ward A', 'Ward B'])
    await schedules.deviceList.selectOption('Ward B')
    await schedules.createButton.click()
    await expect(schedules.createForm.getByRole('status')).toContainText(`Created schedule ${name}`)
    await expect(schedules.row(name)).toContainText('Log out a device list: Ward B')

    await schedules.runNow(name)
    const result = schedules.result(name)
    await expect(result).toContainText('list "Ward B": 2 devices')
    // The run it went through is a link away.
    await expect(result.getByRole('link', { name: 'View the run' })).toHaveAttribute('href', /^#\/runs\/[0-9a-f-]{36}$/)
    const jdoe = await (await api.get('/api/devices/SEP001122334455')).json() as { currentUser: string | null }
    expect(jdoe.currentUser, 'Ward A was left alone').toBe('jdoe')
    const jane = await (await api.get('/api/devices/SEP001122334466')).json() as { currentUser: string | null }
    expect(jane.currentUser, 'Ward B was logged out').toBeNull()
  } finally {
    const list = await (await api.get('/api/schedules')).json() as { schedules: Schedule[] }
    for (const schedule of list.schedules.filter((s) => s.name === name)) await api.delete(`/api/schedules/${schedule.id}`)
    expect((await api.put('/api/settings', NO_SETTINGS)).status()).toBe(200)
  }
})

test('a list whose name changed case only is still the schedule\'s list in its edit form, not one "not in Settings any more"', async ({ schedules, api }) => {
  const name = `ward-case-${Date.now().toString(36)}`
  const lists = (listName: string): SettingsUpdate => ({ exemptions: { devices: [], users: [] }, deviceLists: [{ name: listName, devices: ['SEP00AABBCCDDEE'] }] })
  try {
    expect((await api.put('/api/settings', lists('Ward B'))).status()).toBe(200)
    expect((await api.post('/api/schedules', { name, action: 'logout-saved-list', cron: '0 3 * * *', list: 'Ward B' })).status()).toBe(201)
    // Renamed in case only: the server still runs it as the schedule's list (names compare as CUCM's do).
    expect((await api.put('/api/settings', lists('WARD B'))).status()).toBe(200)
    const schedule = (await (await api.get('/api/schedules')).json() as { schedules: Schedule[] }).schedules.find((s) => s.name === name)
    expect(schedule?.problem).toBeNull()

    await schedules.open()
    await schedules.row(name).getByRole('button', { name: `Edit ${name}` }).click()
    const list = schedules.editDialog.getByLabel('Device list')
    await expect(list.getByRole('option')).toHaveText(['The first list (now "WARD B")', 'WARD B'])
    await expect(list.locator('option:checked')).toHaveText('WARD B')
  } finally {
    const all = await (await api.get('/api/schedules')).json() as { schedules: Schedule[] }
    for (const schedule of all.schedules.filter((s) => s.name === name)) await api.delete(`/api/schedules/${schedule.id}`)
    expect((await api.put('/api/settings', NO_SETTINGS)).status()).toBe(200)
  }
})

/**
 * Lists Ward A and Ward B, a schedule of the first list and one of Ward B, Settings open: `body`
 * gets the schedules' names and Settings' warning of the schedules a save would leave without a
 * list; they are removed after.
 */
async function withListSchedules (settings: SettingsPage, api: Api, body: (named: { first: string, wardB: string, warning: Locator }) => Promise<void>): Promise<void> {
  const suffix = Date.now().toString(36)
  const [first, wardB] = [`first-${suffix}`, `ward-b-${suffix}`]
  const lists: SettingsUpdate = { exemptions: { devices: [], users: [] }, deviceLists: [{ name: 'Ward A', devices: ['SEP001122334455'] }, { name: 'Ward B', devices: ['SEP00AABBCCDDEE'] }] }
  try {
    expect((await api.put('/api/settings', lists)).status()).toBe(200)
    expect((await api.post('/api/schedules', { name: first, action: 'logout-saved-list', cron: '0 3 * * *', list: null })).status()).toBe(201)
    expect((await api.post('/api/schedules', { name: wardB, action: 'logout-saved-list', cron: '0 4 * * *', list: 'Ward B' })).status()).toBe(201)
    await settings.open()
    await body({ first, wardB, warning: settings.page.getByRole('status').filter({ hasText: 'need' }) })
  } finally {
    const all = await (await api.get('/api/schedules')).json() as { schedules: Schedule[] }
    for (const schedule of all.schedules.filter((s) => s.name === first || s.name === wardB)) await api.delete(`/api/schedules/${schedule.id}`)
    expect((await api.put('/api/settings', NO_SETTINGS)).status()).toBe(200)
  }
}

test('a list a schedule logs out, renamed or removed in Settings, is said before saving, naming the schedule as the Schedules screen will', async ({ settings, api }) => {
  await withListSchedules(settings, api, async ({ first, wardB, warning }) => {
    await expect(settings.list(2).name).toHaveValue('Ward B')
    await settings.list(2).name.fill('Ward C')
    await expect(warning).toContainText(`Saved so, a schedule needs attention:"${wardB}" ("Ward B" is renamed "Ward C" here): No device list is named "Ward B" any more: edit the schedule to pick one of the lists in Settings.`)
    // In case only, it is still the schedule's list (the server finds it case aside).
    await settings.list(2).name.fill('WARD B')
    await expect(warning).toHaveCount(0)
    await settings.list(2).remove.click()
    await expect(warning).toContainText(`"${wardB}" ("Ward B" is removed here)`)
    // The first list gone: the schedule of "the first list" would log out another.
    await settings.list(1).remove.click()
    await expect(warning).toContainText(`"${first}" (the first list, now "Ward A"): There is no device list: add one in Settings.`)
    await expect(warning).toContainText('2 schedules need attention')
    await settings.addList('Ward D', 'SEP001122334466')
    await expect(warning).toContainText(`"${first}" logs out the first list: that is "Ward A" now, "Ward D" once saved.`)
  })
})

test('the Overview\'s next run, of a device list removed since, says its run would fail, as the Schedules screen does', async ({ overview, api }) => {
  const name = `ward-gone-${Date.now().toString(36)}`
  const lists = (...names: string[]): SettingsUpdate => ({ exemptions: { devices: [], users: [] }, deviceLists: names.map((listName) => ({ name: listName, devices: ['SEP00AABBCCDDEE'] })) })
  try {
    expect((await api.put('/api/settings', lists('Ward A', 'Ward B'))).status()).toBe(200)
    expect((await api.post('/api/schedules', { name, action: 'logout-saved-list', cron: '*/15 * * * *', list: 'Ward B' })).status()).toBe(201)
    expect((await api.put('/api/settings', lists('Ward A'))).status()).toBe(200)
    await overview.open()
    await expect(overview.nextRun).toContainText(name)
    await expect(overview.nextRun).toContainText('Needs attention No device list is named "Ward B" any more: edit the schedule to pick one of the lists in Settings.')
  } finally {
    const all = await (await api.get('/api/schedules')).json() as { schedules: Schedule[] }
    for (const schedule of all.schedules.filter((s) => s.name === name)) await api.delete(`/api/schedules/${schedule.id}`)
    expect((await api.put('/api/settings', NO_SETTINGS)).status()).toBe(200)
  }
})

test('a list a schedule logs out, emptied in Settings, is said before saving, as the Schedules screen will', async ({ settings, api }) => {
  await withListSchedules(settings, api, async ({ first, wardB, warning }) => {
    await expect(settings.list(2).devices).toHaveValue('SEP00AABBCCDDEE')
    await settings.list(2).devices.fill('')
    await expect(warning).toContainText(`Saved so, a schedule needs attention:"${wardB}" ("Ward B" is emptied here): The device list "Ward B" is empty: add devices to it in Settings.`)
    await settings.list(2).devices.fill('SEP00AABBCCDDEE')
    await expect(warning).toHaveCount(0)
    // The first list emptied: the schedule of "the first list" logs out nothing.
    await settings.list(1).devices.fill('')
    await expect(warning).toContainText(`"${first}" ("Ward A" is emptied here): The device list "Ward A" is empty: add devices to it in Settings.`)
  })
})

test('an entry that is not a device name is shown under the list it is in, and Save says which list to fix', async ({ settings, page }) => {
  await settings.open()
  // Added from the keyboard: the new list's name field has the focus, so typing names it.
  await settings.addListButton.press('Enter')
  await expect(settings.list(1).name).toBeFocused()
  await page.keyboard.type('Ward A')
  await settings.list(1).devices.fill('SEP001122334455')
  await settings.addList('Lobby', 'SEP001122334466\nbad!')
  // The notice said "1 entry is not a device name" below every card, naming neither the list nor
  // the field: with several lists (and the exemptions) the admin had to search for it.
  await expect(settings.list(2).devices).toHaveAttribute('aria-invalid', 'true')
  await expect(settings.list(2).devices).toHaveAccessibleDescription(/1 entry is not a device name.*bad!: "!" is not allowed/)
  await expect(settings.list(2).group.getByRole('alert')).toContainText('bad!')
  await expect(settings.list(1).devices).not.toHaveAttribute('aria-invalid', 'true')
  await expect(settings.exemptDevices).not.toHaveAttribute('aria-invalid', 'true')
  await expect(settings.saveButton).toBeDisabled()
  await expect(page.getByText('Fix before saving: Devices of Lobby.')).toBeVisible()

  await settings.exemptDevices.fill('SEP0011 22?33')
  await expect(settings.exemptDevices).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByText('Fix before saving: Exempt devices, Devices of Lobby.')).toBeVisible()
  await settings.exemptDevices.fill('')
  await settings.list(2).devices.fill('SEP001122334466')
  await expect(settings.list(2).devices).not.toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByText(/^Fix before saving/)).toHaveCount(0)
  await expect(settings.saveButton).toBeEnabled()
})

test('Remove from the keyboard leaves the focus on the list that takes its place, else the one before, else Add a list', async ({ settings, page }) => {
  await settings.open()
  for (const name of ['First', 'Second', 'Third']) {
    await settings.addListButton.press('Enter')
    await page.keyboard.type(name)
  }
  // The Remove button went with its list, and the focus fell to the card.
  await settings.list(2).remove.press('Enter')
  await expect(settings.list(2).name).toHaveValue('Third')
  await expect(settings.list(2).name).toBeFocused()
  await settings.list(2).remove.press('Enter')
  await expect(settings.list(1).name).toBeFocused()
  await settings.list(1).remove.press('Enter')
  await expect(settings.list(1).group).toHaveCount(0)
  await expect(settings.addListButton).toBeFocused()
})

test('a list longer than the API takes says so under it, in words, before Save (not the server\'s "deviceLists.0.devices")', async ({ settings, page }) => {
  await settings.open()
  // One past the limit, space-separated as a pasted row of names.
  const names = (count: number): string => Array.from({ length: count }, (_, i) => `SEP${i.toString(16).toUpperCase().padStart(12, '0')}`).join(' ')
  await settings.addList('Night shift', names(5001))
  await expect(settings.list(1).devices).toHaveAttribute('aria-invalid', 'true')
  await expect(settings.list(1).devices).toHaveAccessibleDescription('5,001 devices: at most 5,000 in one list; remove 1.')
  await expect(settings.saveButton).toBeDisabled()
  await expect(page.getByText('Fix before saving: Devices of Night shift.')).toBeVisible()

  await settings.list(1).devices.fill(names(5000))
  await expect(settings.list(1).devices).not.toHaveAttribute('aria-invalid', 'true')
  await expect(settings.list(1).devices).toHaveAccessibleDescription('5,000 devices. New lines, commas or spaces between names.')
  await expect(settings.saveButton).toBeEnabled()
})

test('a long list edited and saved at once is saved as its field holds it, before the screen has read it again', async ({ settings, api }) => {
  try {
    await settings.open()
    // 3,000 names (48,000 characters, a pasted row: fill is quadratic in lines) are read once
    // typing pauses, not in each keystroke.
    const names = numberedDevices(3000, 'CAFE')
    await settings.addList('Night shift', names.join(' '))
    await expect(settings.list(1).devices).toHaveAccessibleDescription('3,000 devices. New lines, commas or spaces between names.')
    await settings.list(1).devices.press('Control+End')
    await settings.list(1).devices.pressSequentially(' SEP00AABBCCDDEE')
    await settings.saveButton.click()
    await expect(settings.saved).toBeVisible()
    const saved = (await (await api.get('/api/settings')).json()) as Settings
    expect(saved.deviceLists).toEqual([{ name: 'Night shift', devices: [...names, 'SEP00AABBCCDDEE'] }])
  } finally {
    expect((await api.put('/api/settings', NO_SETTINGS)).status()).toBe(200)
  }
})

test('a saved long list edited and saved at once can be saved before the screen has read it again', async ({ settings, api, page }) => {
  try {
    await page.clock.install()
    const names = numberedDevices(1000, 'BEEF')
    expect((await api.put('/api/settings', { ...NO_SETTINGS, deviceLists: [{ name: 'Night shift', devices: names }] })).status()).toBe(200)
    await settings.open()
    await expect(settings.list(1).devices).toHaveAccessibleDescription('1,000 devices. New lines, commas or spaces between names.')
    await expect(settings.saveButton).toBeDisabled()
    // The page's time stands still: the edit is not read until it moves 200 ms, and Save is there for it.
    await typeUnread(settings.list(1).devices, '\nSEP00AABBCCDDEE')
    await expect(settings.saveButton).toBeEnabled()
    const asked = page.waitForRequest((request) => request.method() === 'PUT' && new URL(request.url()).pathname === '/api/settings')
    await settings.saveButton.click()
    const sent = (await asked).postDataJSON() as SettingsUpdate
    await page.clock.resume()
    expect(sent.deviceLists).toEqual([{ name: 'Night shift', devices: [...names, 'SEP00AABBCCDDEE'] }])
    await expect(settings.saved).toBeVisible()
  } finally {
    expect((await api.put('/api/settings', NO_SETTINGS)).status()).toBe(200)
  }
})

test('exempt users past the limit hold Save back while a saved long list edited is not read yet', async ({ settings, api, page }) => {
  try {
    await page.clock.install()
    expect((await api.put('/api/settings', { ...NO_SETTINGS, deviceLists: [{ name: 'Night shift', devices: numberedDevices(1000, 'BEEF') }] })).status()).toBe(200)
    await settings.open()
    await expect(settings.list(1).devices).toHaveAccessibleDescription('1,000 devices. New lines, commas or spaces between names.')
    await paste(settings.exemptUsers, Array.from({ length: 5001 }, (_, i) => `user${i}`).join('\n'))
    await expect(settings.saveButton).toBeDisabled()
    // The page's time stands still: the list's edit is not read, and the users, read at once, still hold Save back.
    await typeUnread(settings.list(1).devices, '\nSEP00AABBCCDDEE')
    await expect(settings.list(1).devices).toHaveValue(/\nSEP00AABBCCDDEE$/)
    await expect(settings.saveButton).toBeDisabled()
  } finally {
    expect((await api.put('/api/settings', NO_SETTINGS)).status()).toBe(200)
  }
})

test('two admins edit the settings at once: the later save is refused, naming who saved first, and the form can read theirs', async ({ settings, api, browser, baseURL, page, consoleErrors }) => {
  consoleErrors.allow(/status of 409/)
  const other = { username: `ada-${Date.now().toString(36)}`, password: 'the other admin of two' }
  expect((await api.post('/api/accounts', { ...other, role: 'admin' })).status()).toBe(201)
  const otherContext = await browser.newContext({ baseURL })
  try {
    await settings.open()
    await expect(settings.addListButton).toBeVisible()
    await signInThroughApi(otherContext.request, other)
    const theirs = new SettingsPage(await otherContext.newPage())
    await theirs.open()
    await theirs.addList('Night desk', 'SEP001122334455')
    await theirs.saveButton.click()
    await expect(theirs.saved).toBeVisible()

    // This admin opened the form before that save: saving would have dropped "Night desk" unseen.
    await settings.addList('Lobby', 'SEP001122334466')
    await settings.saveButton.click()
    const refused = page.getByRole('alert').filter({ hasText: 'Could not save the settings' })
    await expect(refused).toContainText(`The settings changed since you opened them: ${other.username} saved them at`)
    await expect(refused).toContainText('Your change was not saved.')
    await expect(settings.list(1).name).toHaveValue('Lobby')
    await page.getByRole('button', { name: 'Read the settings again (drops your changes)' }).click()
    await expect(settings.list(1).name).toHaveValue('Night desk')
    await expect(settings.list(2).group).toHaveCount(0)
    await expect(refused).toHaveCount(0)

    // Made again on what is saved now, the change is taken, and keeps theirs.
    await settings.addList('Lobby', 'SEP001122334466')
    await settings.saveButton.click()
    await expect(settings.saved).toBeVisible()
    const saved = await (await api.get('/api/settings')).json() as Settings
    expect(saved.deviceLists.map((list) => list.name)).toEqual(['Night desk', 'Lobby'])
  } finally {
    await otherContext.close()
    expect((await api.put('/api/settings', NO_SETTINGS)).status()).toBe(200)
  }
})

test('a device list pasted from Excel with a user beside each device keeps the devices, saying what was left out', async ({ settings }) => {
  await settings.open()
  await settings.addList('Ward C', 'SEP001122334455\tjdoe\nSEP00AABBCCDDEE\tasmith')
  const list = settings.page.getByRole('group', { name: /^Device list \d+: Ward C$/ })
  // The users were counted, and would have been saved, as devices: "4 devices".
  await expect(list.getByLabel('Devices of Ward C')).toHaveAccessibleDescription(/^2 devices\./)
  await expect(list.getByRole('status')).toContainText('the rest (jdoe, asmith) was left out')
})

test('a double click on "Save settings" saves once and says saved, not that someone else saved first', async ({ settings, api, page }) => {
  const puts: string[] = []
  page.on('request', (request) => { if (request.method() === 'PUT' && new URL(request.url()).pathname === '/api/settings') puts.push(request.url()) })
  try {
    await settings.open()
    await settings.exemptDevices.fill('SEP0A0B0C0D0E0F')
    await settings.saveButton.dblclick()
    await expect(settings.saved).toBeVisible()
    await expect(page.getByRole('alert')).toHaveCount(0)
    expect(puts).toHaveLength(1)
  } finally {
    expect((await api.put('/api/settings', NO_SETTINGS)).status()).toBe(200)
  }
})
