import type { Request } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { expect, numberedDevices, readInventoryAfresh, test } from '../fixtures.ts'

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

test('a look-up refused whole leaves no table of the one before it to read as its answer', async ({ devices, page }) => {
  await devices.open()
  await devices.lookUp('SEP001122334455')
  await expect(devices.row('SEP001122334455')).toContainText('jdoe')
  // Nothing in the box can be a device name: nothing is looked up, and nothing else is shown as if it had been.
  await devices.lookUpText('SEP<script>')
  await expect(page.getByRole('alert')).toContainText('SEP<script>: "<" is not allowed')
  await expect(devices.results).toHaveCount(0)
  await expect(devices.summary).toHaveCount(0)
  await expect(page.getByRole('heading', { name: 'Session history of SEP001122334455' })).toHaveCount(0)
  await expect(devices.namesInput).toHaveValue('SEP<script>')
})

test('a device no cluster has gets no session history card, as a user CUCM does not have gets none', async ({ devices, page }) => {
  await devices.open()
  await devices.lookUp('SEPFFFFFFFFFFFF')
  await expect(devices.row('SEPFFFFFFFFFFFF')).toContainText('Unknown device')
  await expect(page.getByRole('region', { name: 'Session history of SEPFFFFFFFFFFFF' })).toHaveCount(0)
  // A device there is still has one.
  await devices.lookUp('SEP00AABBCCDDEE')
  await expect(page.getByRole('region', { name: 'Session history of SEP00AABBCCDDEE' })).toBeVisible()
})

test('with one cluster picked in the header, a device not on it is unknown there, not said to be on no cluster', async ({ devices, shell }) => {
  await devices.open()
  await shell.pickCluster('Branch (demo)')
  await devices.lookUp('SEP001122334455')
  // HQ's phone: Branch alone was asked, so nothing is known of the others.
  await expect(devices.row('SEP001122334455')).toContainText('Unknown device')
  await expect(devices.row('SEP001122334455')).toContainText('Branch (demo) has no device with this name; the other clusters were not asked')
  await expect(devices.row('SEP001122334455')).not.toContainText('No cluster has')
  await shell.pickCluster('All clusters')
  await expect(devices.row('SEP001122334455', 'HQ (demo)')).toContainText('jdoe')
  await devices.lookUp('SEPFFFFFFFFFFFF')
  await expect(devices.row('SEPFFFFFFFFFFFF')).toContainText('No cluster has a device with this name.')
})

test('Enter adds a line, Ctrl+Enter looks up, and Back returns to the previous look-up', async ({ devices, page }) => {
  await devices.open()
  await expect(devices.page.getByText('Enter adds a line; Ctrl+Enter or Look up looks the names up.')).toBeVisible()
  // Separators alone are not a device name.
  await devices.namesInput.fill('   ')
  await expect(devices.lookUpButton).toBeDisabled()
  await devices.namesInput.fill(' , ;  ')
  await expect(devices.lookUpButton).toBeDisabled()

  // Enter looks nothing up: no table yet would say so only until an answer came, so the look-ups
  // asked are counted up to Ctrl+Enter's answer (one asked on Enter is sent before it).
  const lookUps: string[] = []
  const watch = (request: Request): void => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/devices/status') lookUps.push(request.postData() ?? '')
  }
  page.on('request', watch)
  await devices.namesInput.fill('')
  await devices.namesInput.pressSequentially('SEP001122334455')
  await devices.namesInput.press('Enter')
  await devices.namesInput.pressSequentially('sep00aabbccddee')
  await expect(devices.namesInput).toHaveValue('SEP001122334455\nsep00aabbccddee')
  await devices.namesInput.press('Control+Enter')
  await expect(devices.results.locator('tbody').getByRole('row')).toHaveCount(2)
  page.off('request', watch)
  expect(lookUps, 'the look-ups asked: Ctrl+Enter\'s alone').toHaveLength(1)
  // Device names read as CUCM shows them, whatever their case when typed.
  await expect(devices.row('SEP00AABBCCDDEE')).toContainText('Nobody logged in')
  await expect(page).toHaveURL(/names=SEP001122334455%2CSEP00AABBCCDDEE$/)

  await devices.lookUp('SEP001122334466')
  await expect(devices.results.locator('tbody').getByRole('row')).toHaveCount(1)
  await expect(devices.row('SEP001122334466')).toContainText('jane.doe@example.com')

  await page.goBack()
  await expect(devices.results.locator('tbody').getByRole('row')).toHaveCount(2)
  await expect(devices.namesInput).toHaveValue('SEP001122334455\nSEP00AABBCCDDEE')
  await page.goForward()
  await expect(devices.row('SEP001122334466')).toBeVisible()
})

test('the look-up table sorts, filters by state and exports what it shows', async ({ devices, page }) => {
  await devices.open()
  await devices.lookUpText('SEP00AABBCCDDEE SEP001122334466 SEP001122334455 SEPFFFFFFFFFFFF')
  const rows = devices.results.locator('tbody').getByRole('row')
  await expect(rows).toHaveCount(4)

  const userHeader = devices.results.getByRole('columnheader', { name: 'Current user' })
  await userHeader.getByRole('button').click()
  await expect(userHeader).toHaveAttribute('aria-sort', 'ascending')
  await expect(rows.nth(0)).toContainText('jane.doe@example.com')
  await expect(rows.nth(1)).toContainText('jdoe')
  // The whole header cell sorts, not only its words: a click by its far edge turns the order.
  const cell = await userHeader.boundingBox()
  const wordsEnd = await userHeader.evaluate((th) => {
    const range = document.createRange()
    range.selectNodeContents(th.querySelector('button') ?? th)
    return range.getBoundingClientRect().right
  })
  expect(cell).not.toBeNull()
  const edge = { x: (cell?.width ?? 0) - 4, y: (cell?.height ?? 0) - 4 }
  expect((cell?.x ?? 0) + edge.x).toBeGreaterThan(wordsEnd + 8)
  await userHeader.click({ position: edge })
  await expect(userHeader).toHaveAttribute('aria-sort', 'descending')
  await expect(rows.nth(0)).toContainText('jdoe')
  await userHeader.click({ position: edge })
  await expect(userHeader).toHaveAttribute('aria-sort', 'ascending')

  const show = page.getByRole('region', { name: 'Look up devices' }).getByLabel('Show', { exact: true })
  await show.selectOption({ label: 'Logged in (2)' })
  await expect(rows).toHaveCount(2)
  await show.selectOption({ label: 'Unknown (1)' })
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText('SEPFFFFFFFFFFFF')
  await show.selectOption({ label: 'All (4)' })
  await expect(rows).toHaveCount(4)

  const downloading = page.waitForEvent('download')
  await page.getByRole('region', { name: 'Look up devices' }).getByRole('button', { name: 'Export CSV' }).click()
  const csv = readFileSync(await (await downloading).path(), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/)
  // The demo has two clusters: each row says which one the phone is on (none for an unknown name).
  expect(csv[0]).toBe('Device,Cluster,Current user,Last user,EMCC,State')
  expect(csv.slice(1)).toEqual([
    'SEP001122334466,HQ (demo),jane.doe@example.com,,No,Logged in',
    'SEP001122334455,HQ (demo),jdoe,asmith,No,Logged in',
    'SEP00AABBCCDDEE,HQ (demo),,,No,Free',
    'SEPFFFFFFFFFFFF,,,,,Unknown'
  ])
})

test('a pasted list of over a thousand names counts them all with thousands grouped, as the heading does, and pages by keyboard', async ({ devices, page }) => {
  await devices.open()
  // 1,200 phones CUCM does not know, pasted as one comma-separated line.
  const names = numberedDevices(1200, 'ABCD')
  await devices.lookUpText(names.join(','))
  await expect(devices.summary).toHaveText('1,200 devices: 0 logged in, 0 free, 1,200 unknown')
  const show = page.getByRole('region', { name: 'Look up devices' }).getByLabel('Show', { exact: true })
  await expect(show.getByRole('option', { name: 'All (1,200)' })).toBeAttached()
  await expect(show.getByRole('option', { name: 'Unknown (1,200)' })).toBeAttached()
  const pager = page.getByRole('navigation', { name: 'Pages of devices' })
  await expect(pager.getByRole('status')).toHaveText('1–100 of 1,200 devices')

  // By keyboard: the last page keeps the focus on Next (no further page: unavailable), and the rows
  // shown are said as a status. A disabled Next dropped the focus to the top of the page (out of
  // the dialog, in a preview of sessions).
  const next = pager.getByRole('button', { name: 'Next →' })
  await next.focus()
  for (let shown = 2; shown <= 12; shown++) await page.keyboard.press('Enter')
  await expect(pager.getByRole('status')).toHaveText('1,101–1,200 of 1,200 devices')
  await expect(next).toBeFocused()
  await expect(next).toHaveAttribute('aria-disabled', 'true')
  await page.keyboard.press('Enter')
  await expect(pager.getByRole('status')).toHaveText('1,101–1,200 of 1,200 devices')
  const previous = pager.getByRole('button', { name: '← Previous' })
  await previous.focus()
  for (let shown = 11; shown >= 1; shown--) await page.keyboard.press('Enter')
  await expect(pager.getByRole('status')).toHaveText('1–100 of 1,200 devices')
  await expect(previous).toBeFocused()
  await expect(previous).toHaveAttribute('aria-disabled', 'true')
})

test('a new look-up, or another filter of its states, shows its first page, not the page the last one was on', async ({ devices, page }) => {
  await devices.open()
  await devices.lookUpText(numberedDevices(1200, 'ABCD').join(','))
  const pager = page.getByRole('navigation', { name: 'Pages of devices' })
  await expect(pager.getByRole('status')).toHaveText('1–100 of 1,200 devices')
  const next = pager.getByRole('button', { name: 'Next →' })
  for (let shown = 2; shown <= 12; shown++) await next.click()
  await expect(pager.getByRole('status')).toHaveText('1,101–1,200 of 1,200 devices')

  // Another list: its first 100 devices, not its last (it showed "201–242 of 242 devices").
  await devices.lookUpText([...numberedDevices(240, 'BCDE'), 'SEP001122334455', 'SEP00AABBCCDDEE'].join('\n'))
  await expect(devices.summary).toContainText('242 devices:')
  await expect(pager.getByRole('status')).toHaveText('1–100 of 242 devices')

  // A filter of the states, from the last page: its own first page.
  await next.click()
  await next.click()
  await expect(pager.getByRole('status')).toHaveText('201–242 of 242 devices')
  const show = page.getByRole('region', { name: 'Look up devices' }).getByLabel('Show', { exact: true })
  await show.selectOption({ label: 'Unknown (240)' })
  await expect(pager.getByRole('status')).toHaveText('1–100 of 240 devices')
})

test('a bad device name says in words what a device name may hold', async ({ devices }) => {
  await devices.open()
  const long = `SEP${'A'.repeat(57)}`
  await devices.lookUpText(`SEP00AABBCCDDEE bad<name ${long}`)
  const alert = devices.page.getByRole('region', { name: 'Look up devices' }).getByRole('alert')
  await expect(alert).toContainText('Device names have letters, digits, dot, dash and underscore; up to 50 characters.')
  await expect(alert).toContainText('bad<name: "<" is not allowed')
  await expect(alert).toContainText(`${long.slice(0, 20)}…: 60 characters, 10 too many`)
  await expect(alert).not.toContainText('must match')
  await expect(devices.row('SEP00AABBCCDDEE')).toContainText('Nobody logged in')
})

test('a phone with Extension Mobility disabled says so and offers no login', async ({ devices, api, saveScreenshot }) => {
  // EMAPI's look-up shows such a phone as empty; CUCM's answer to a logout or login (code 22) tells.
  const refused = await api.post('/api/devices/SEP00DEADBEEF00/logout')
  expect(refused.status()).toBe(502)
  expect((await refused.json() as { error: { emapiCode: number } }).error.emapiCode).toBe(22)

  await devices.open()
  await devices.lookUp('SEP00DEADBEEF00', 'SEP00AABBCCDDEE')
  const disabled = devices.row('SEP00DEADBEEF00')
  await expect(disabled).toContainText('Extension Mobility is disabled on this phone')
  await expect(disabled).not.toContainText('Nobody logged in')
  await expect(disabled.getByRole('button', { name: 'Log in to SEP00DEADBEEF00' })).toHaveCount(0)
  await expect(devices.row('SEP00AABBCCDDEE').getByRole('button', { name: 'Log in to SEP00AABBCCDDEE' })).toBeVisible()
  await expect(devices.summary).toContainText('2 devices: 0 logged in, 1 free, 1 with Extension Mobility disabled')
  await saveScreenshot('devices-em-disabled')
})

test('after a logout the device\'s session history shows the session it ended, without being asked again', async ({ devices, api, page }) => {
  // The server reads the inventory again ~2 s after a change, at most every 30 s; the page asks
  // for its state a moment after the change and every 30 s.
  test.setTimeout(120_000)
  // The inventory has seen jdoe's session on the phone (a reading of after the reset of the simulator).
  await readInventoryAfresh(api)
  await devices.open()
  await devices.lookUp('SEP001122334455')
  const history = page.getByRole('region', { name: 'Session history of SEP001122334455' })
  await expect(history).toBeVisible()
  // Earlier journeys may have ended sessions of this phone too: one more is what this logout adds.
  await expect(history.getByRole('list', { name: 'Sessions of SEP001122334455' }).or(history.getByText(/^No ended session/))).toBeVisible()
  const ended = history.getByRole('listitem').filter({ hasText: 'Logged out by EM Console' })
  const before = await ended.count()
  await devices.logOut('SEP001122334455', 'HQ (demo)')
  await expect(devices.result('SEP001122334455 on HQ (demo)')).toContainText('Logged out')
  await expect(ended).toHaveCount(before + 1, { timeout: 75_000 })
})

test('right after a logout, a CUCM whose status lags still shows the user: the row says the status may lag, not that the logout failed', async ({ devices, simulator }) => {
  // A cache longer than the test: the look-up after the logout answers from it, however slow the machine.
  await simulator.setLag({ statusCacheSeconds: 60 })
  await devices.open()
  await devices.lookUp('SEP001122334455')
  const row = devices.row('SEP001122334455')
  await expect(row).toContainText('jdoe')

  await row.getByRole('button', { name: 'Log out SEP001122334455' }).click()
  await row.getByRole('button', { name: 'Confirm logout' }).click()

  await expect(devices.result('SEP001122334455').getByText('Logged out', { exact: true })).toBeVisible()
  await expect(row).toContainText(/EM Console logged jdoe out of SEP001122334455 at .+ UTC\. CUCM's Extension Mobility status can lag a change by about two minutes: look it up again in a minute or two\./)
  await expect(row).toContainText('jdoe')
})

test('a login to a device no cluster has says to pick its cluster in the form, not the API\'s ?cluster=', async ({ devices, consoleErrors }) => {
  consoleErrors.allow(/status of 404/)
  await devices.open()
  const form = devices.loginForm
  await form.getByLabel('Device', { exact: true }).fill('SEP0000000000F1')
  await form.getByLabel('User ID').fill('asmith')
  await form.getByRole('button', { name: 'Log in' }).click()
  const failure = form.getByRole('alert').filter({ hasText: 'Login failed' })
  await expect(failure).toContainText('Device SEP0000000000F1 is on none of the clusters')
  await expect(failure).toContainText('What to do: Check the name, or pick the cluster in the Cluster field.')
  await expect(failure).not.toContainText('?cluster=')
})

test('two columns copied from Excel without a header (device, user) are looked up by their device column, saying what was left out', async ({ devices, page }) => {
  await devices.open()
  await devices.lookUpText('SEP001122334455\tjdoe\nSEP00AABBCCDDEE\tasmith\n')
  // The users were looked up as devices too: four rows, two of them "unknown devices" JDOE and ASMITH.
  await expect(devices.summary).toContainText('2 devices')
  await expect(devices.results.locator('tbody').getByRole('row')).toHaveCount(2)
  await expect(devices.row('SEP001122334455')).toContainText('jdoe')
  await expect(devices.row('JDOE')).toHaveCount(0)
  await expect(page.getByRole('region', { name: 'Look up devices' }).getByRole('status').filter({ hasText: 'first column' })).toContainText('the rest (jdoe, asmith) was left out')
  // A row of phones copied across columns is a block of names: every one is looked up, nothing is said.
  await devices.lookUpText('SEP001122334455\tSEP00AABBCCDDEE\t00:11:22:33:44:66')
  await expect(devices.summary).toContainText('3 devices')
  await expect(devices.row('SEP00AABBCCDDEE')).toContainText('Nobody logged in')
  await expect(page.getByRole('region', { name: 'Look up devices' }).getByRole('status').filter({ hasText: 'first column' })).toHaveCount(0)
})

test('a MAC address typed without SEP is looked up as its phone, saying so', async ({ devices, page, consoleErrors }) => {
  consoleErrors.allow(/status of 404/)
  await devices.open()
  const read = page.getByRole('region', { name: 'Look up devices' }).getByRole('status').filter({ hasText: 'MAC address' })
  // As typed, 00:11:22:33:44:55 was refused (":" is not allowed) and 00aabbccddee asked as a device of that name: unknown.
  await devices.lookUpText('00:11:22:33:44:55')
  await expect(devices.row('SEP001122334455')).toContainText('jdoe')
  await expect(read).toContainText('00:11:22:33:44:55 as SEP001122334455')
  await expect(page.getByRole('alert')).toHaveCount(0)
  await devices.lookUpText('00aabbccddee')
  await expect(devices.row('SEP00AABBCCDDEE')).toContainText('Nobody logged in')
  await expect(read).toContainText('00aabbccddee as SEP00AABBCCDDEE')
  // The login form below takes a MAC address as its phone too, and says so under the field.
  const form = devices.loginForm
  await form.getByLabel('Device', { exact: true }).fill('00:00:00:00:00:f1')
  await expect(form.getByLabel('Device', { exact: true })).toHaveAccessibleDescription('A MAC address: logs in to SEP0000000000F1 (CUCM names a phone SEP and its MAC address).')
  await form.getByLabel('User ID').fill('asmith')
  await form.getByRole('button', { name: 'Log in' }).click()
  await expect(form.getByRole('alert').filter({ hasText: 'Login failed' })).toContainText('Device SEP0000000000F1 is on none of the clusters')
  // A device name is asked as typed, and nothing is said.
  await devices.lookUpText('SEP001122334455')
  await expect(devices.row('SEP001122334455')).toContainText('jdoe')
  await expect(read).toHaveCount(0)
})
