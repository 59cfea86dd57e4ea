import type { ClusterList, InventoryStatus, SessionSummary } from '@em-console/shared/schemas'
import { DEMO_APP_PASSWORD, DEMO_APP_USER, expect, readInventoryAfresh, test } from '../fixtures.ts'

test('the overview shows the simulator connection, activity and recent actions', async ({ overview, shell, saveScreenshot }) => {
  await overview.open()
  await expect(shell.heading).toHaveText('Overview')
  await expect(overview.simulatorBadge).toBeVisible()
  await expect(overview.connectionCard.getByText('EMAPI reachable')).toBeVisible()
  // The version shown is EM Console's, said so: beside CUCM's address it read as CUCM's.
  await expect(overview.connectionCard.getByRole('term').filter({ hasText: /^EM Console$/ })).toBeVisible()
  await expect(overview.connectionCard.getByRole('term').filter({ hasText: /^Version$/ })).toHaveCount(0)
  await expect(overview.activity.getByText('Logouts today')).toBeVisible()
  await expect(overview.activity.getByRole('img', { name: /Actions per day/ })).toBeVisible()
  await expect(overview.recentActions).toBeVisible()
  await saveScreenshot('overview')

  await shell.themeToggle.click()
  await expect(shell.themeToggle).toHaveText('Theme: Light')
  await shell.themeToggle.click()
  await expect(shell.themeToggle).toHaveText('Theme: Dark')
  await expect(overview.page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await saveScreenshot('overview-dark')
  await shell.themeToggle.click()
  await expect(shell.themeToggle).toHaveText('Theme: System')

  // A tablet in portrait: the cards stack, nothing scrolls sideways.
  await overview.page.setViewportSize({ width: 820, height: 1180 })
  await expect(overview.logoutAllButton).toBeInViewport()
  expect(await overview.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
  await saveScreenshot('overview-tablet')
})

test('when the server does not answer a check, the connection card does not go on saying "reachable" in green', async ({ overview, page, consoleErrors }) => {
  consoleErrors.allow(/Failed to load resource/)
  await overview.open()
  const card = overview.connectionCard
  await expect(card.getByText('EMAPI reachable', { exact: true })).toBeVisible()
  // Polled as /api/health, asked by Check now with ?fresh=true.
  await page.route(/\/api\/health(\?|$)/, async (route) => { await route.abort('connectionrefused') })
  await card.getByRole('button', { name: /^Check now/ }).click()
  await expect(card.getByRole('alert')).toContainText('Could not check the connection')
  await expect(card.getByText('At the last check: EMAPI reachable')).toBeVisible()
  await expect(card.getByText('EMAPI reachable', { exact: true })).toHaveCount(0)
  await expect(card.locator('.status-dot-ok')).toHaveCount(0)
})

test('a page nobody uses polls without renewing the session\'s idle time; the person\'s own click is theirs again', async ({ overview, page }) => {
  await page.clock.install()
  await overview.open()
  await expect(overview.connectionCard.getByText('EMAPI reachable', { exact: true })).toBeVisible()
  // Nobody at the keyboard: the health card's poll (every 30 s) says it is the page's own.
  const unattended = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/health' && r.headers()['x-em-unattended'] === '1')
  await page.clock.fastForward('01:05')
  await unattended
  // A person's click: its request renews the session as any use does.
  const attended = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/health' && r.headers()['x-em-unattended'] === undefined)
  await overview.connectionCard.getByRole('button', { name: /^Check now/ }).click()
  await attended
})

test('the confirmation dialog is keyboard friendly and needs the exact words', async ({ overview, page }) => {
  await overview.open()
  await overview.logoutAllButton.focus()
  await page.keyboard.press('Enter')
  await expect(overview.dialog).toBeVisible()
  await expect(overview.dialog).toContainText('Cisco recommends doing this off-peak')
  await expect(overview.confirmationInput).toBeFocused()
  await overview.confirmationInput.fill('log out all')
  await expect(overview.confirmButton).toBeDisabled()
  await page.keyboard.press('Escape')
  await expect(overview.dialog).toBeHidden()
  await expect(overview.logoutAllButton).toBeFocused()
})

test('an admin logs out every EM user and finds the run in History', async ({ overview, devices, history, shell, page, api, saveScreenshot }) => {
  // The seeds' sessions, read fresh: a journey before this one in the worker (a logout-all of the
  // multi-cluster file) may have left HQ's count "not counted yet" (the simulator is reset for each
  // journey, the server's inventory is not).
  await readInventoryAfresh(api)
  await overview.open()
  // The demo has two clusters: this journey logs out HQ only (the one each test starts again from).
  await shell.pickCluster('HQ (demo)')
  await overview.logoutAllButton.click()
  await expect(overview.targets).toHaveText(/HQ \(demo\)/)
  await expect(overview.targets).not.toContainText('Branch')
  await overview.confirmationInput.fill('LOG OUT ALL')
  await expect(overview.confirmButton).toBeEnabled()
  await saveScreenshot('overview-logout-all-dialog')
  const title = overview.dialog.getByRole('heading', { level: 2 })
  const warningColour = await title.evaluate((element) => getComputedStyle(element).color)
  // The page learns of the inventory's refresh after the change when it asks again (4 s later):
  // held until the card is read, so a busy machine reading it late still finds what it says meanwhile.
  let release: () => void = () => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  await page.route(/\/api\/inventory$/, async (route) => { await held; await route.continue().catch(() => {}) })
  const answer = page.waitForResponse((response) => response.url().includes('/api/logout-all'))
  await overview.confirmButton.click()

  // Once done, the title says what happened, not the question, and how many users: CUCM's
  // logoutAll tells no count, the demo's AXL inventory does (HQ's users as of its last refresh).
  const { loggedOut } = await (await answer).json() as { loggedOut: number | null }
  expect(loggedOut).toBeGreaterThan(0)
  // Behind the dialog, "Logged in now" still counts them from HQ's inventory read before: it says
  // so, until HQ is read again (seconds after the change), and then counts nobody.
  const card = page.getByRole('region', { name: /^Logged in now/ })
  await expect(card).toContainText(/As of .+ · counted before the logout-all of .+, read again in a moment/)
  release()
  await expect(title).toHaveText(`All EM users logged out: ${loggedOut ?? 0} users`)
  // Done, and done well: the title is no longer in the warning's red.
  await expect(title).not.toHaveCSS('color', warningColour)
  await expect(overview.dialog).toContainText(new RegExp(`The inventory \\(read [^)]+\\) counted ${loggedOut ?? 0} users logged in`))
  await expect(overview.dialog).not.toContainText('?')
  await expect(overview.clusterResult('HQ (demo)')).toContainText('Logged out')
  await saveScreenshot('overview-logout-all-result')
  // The read a change asks for comes up to half a minute after the one an earlier change of this
  // worker's journeys asked for (CHANGE_SPACING_MS); the page reads its state a moment after it.
  await expect(card).not.toContainText('counted before the logout-all', { timeout: 45_000 })
  await expect(card).toContainText('Nobody is logged in')
  const auditLink = overview.clusterResult('HQ (demo)').getByRole('link', { name: /Audit #\d+/ })
  const auditId = Number(/Audit #(\d+)/.exec(await auditLink.innerText())?.[1])
  await auditLink.click()

  await expect(page).toHaveURL(/#\/history\?id=\d+/)
  await expect(history.detail.getByText('Log out all', { exact: true })).toBeVisible()
  await expect(history.detail.getByText('Success', { exact: true })).toBeVisible()
  await expect(history.detail).toContainText('demo via Web')
  await expect(history.detail.getByLabel('Request XML')).toContainText('logout')
  // Its row is in the trail, marked as the one open (a run's re-check from an earlier journey may
  // have added a look-up above it since).
  const row = history.record(auditId)
  await expect(row).toContainText('Log out all')
  await expect(row).toContainText('Success')
  await expect(row).toHaveAttribute('aria-selected', 'true')

  // The seed's logged-in phone is free now.
  await devices.open()
  await devices.lookUp('SEP001122334455')
  await expect(devices.row('SEP001122334455')).toContainText('Nobody logged in')
})

test('Logouts today counts only logouts that ended a login; those that found nobody are told apart', async ({ overview, api, page }) => {
  await overview.open()
  await expect(overview.logoutsToday.value).toHaveText(/^\d+$/)
  const before = Number(await overview.logoutsToday.value.textContent())

  // SEP00AABBCCDDEE is empty: CUCM answers 19, nobody was logged out.
  expect((await (await api.post('/api/devices/SEP00AABBCCDDEE/logout')).json() as { outcome: string }).outcome).toBe('already-logged-out')
  await page.reload()
  await expect(overview.logoutsToday.value).toHaveText(String(before))
  await expect(overview.logoutsToday.note).toContainText('already logged out')

  // jdoe on SEP001122334455: a real logout.
  expect((await (await api.post('/api/devices/SEP001122334455/logout')).json() as { outcome: string }).outcome).toBe('success')
  await page.reload()
  await expect(overview.logoutsToday.value).toHaveText(String(before + 1))

  // A logout of all users is one record, whoever it ended: named beside the count, not one more device.
  const allsBefore = Number(/(\d+) logouts? of all users/.exec(await overview.logoutsToday.note.textContent() ?? '')?.[1] ?? 0)
  expect((await api.post('/api/logout-all?cluster=hq', { confirm: 'LOG OUT ALL' })).status()).toBe(200)
  await page.reload()
  await expect(overview.logoutsToday.note).toContainText(`+ ${allsBefore + 1} logout${allsBefore === 0 ? '' : 's'} of all users`)
  await expect(overview.logoutsToday.value).toHaveText(String(before + 1))
})

test('with several clusters, "Sessions per device pool" names each pool\'s cluster as every other screen does, not by its id', async ({ overview, api, page }) => {
  // Read fresh: a journey before this one (a logout-all of HQ) leaves the server's inventory
  // without HQ's sessions until its next refresh, and with one cluster's pools a bar names none.
  await readInventoryAfresh(api)
  const summary = await (await api.get('/api/sessions/summary')).json() as SessionSummary
  const chicago = summary.devicePools.find((p) => p.cluster === 'branch' && p.devicePool === 'DP_CHICAGO')?.sessions ?? 0
  expect(chicago).toBeGreaterThan(0)
  await overview.open()
  const pools = page.getByRole('figure', { name: 'Sessions per device pool' }).getByRole('listitem')
  // The cluster's id ("branch DP_CHICAGO") appeared nowhere else: Sessions, Schedules and History say "Branch (demo)".
  await expect(pools.filter({ hasText: 'DP_CHICAGO' })).toHaveText(`DP_CHICAGO on Branch (demo)${chicago}`)
  await expect(pools.filter({ hasText: /^hq |^branch / })).toHaveCount(0)
})

test('when a cluster\'s inventory can no longer be read, "Logged in now" marks its counts stale instead of current, and says why and what to do', async ({ overview, simulator, api, page }) => {
  await simulator.setAxlFault('unauthorized')
  // The refresh fails: HQ keeps its last inventory, which is no longer current. (A refresh waited
  // for may be one begun before the fault, which read HQ: asked again until one has met it.)
  const hqState = async (): Promise<string | undefined> => (await (await api.post('/api/inventory/refresh?wait=true')).json() as InventoryStatus).clusters.find((c) => c.cluster === 'hq')?.state
  await expect.poll(hqState, { timeout: 30_000 }).toBe('stale')
  await overview.open()
  const card = page.getByRole('region', { name: /^Logged in now/ })
  await expect(card).toContainText('HQ (demo): As of')
  await expect(card.getByText('Stale', { exact: true })).toBeVisible()
  // Why, and what to do, beside the mark (they were only on Sessions), once.
  const why = card.getByRole('alert')
  await expect(why).toHaveCount(1)
  await expect(why).toContainText('The last refresh failed: showing the inventory as of')
  await expect(why).toContainText(/HTTP 401/)
  await expect(why).toContainText('What to do: Check CUCM_AXL_USER and CUCM_AXL_PASSWORD')
  await simulator.reset()
  await readInventoryAfresh(api)
  await page.reload()
  await expect(card).toContainText('HQ (demo): As of')
  await expect(card.getByText('Stale', { exact: true })).toHaveCount(0)
  await expect(why).toHaveCount(0)
})

test('opened again right after a logout-all, the dialog does not count the users it just logged out', async ({ overview, shell, api, page }) => {
  // The seeds' users, as the inventory reads them.
  await readInventoryAfresh(api)
  await overview.open()
  await shell.pickCluster('HQ (demo)')
  await overview.logoutAllButton.click()
  const count = overview.dialog.getByRole('status')
  await expect(count).toContainText(/^This logs out [1-9]\d* users? on/)
  // The page learns of the inventory's refresh after a logout-all when it asks again (4 s later):
  // held here until the assertion, so the page knows what it knows in the seconds after the answer.
  let release: () => void = () => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  await page.route(/\/api\/inventory$/, async (route) => { await held; await route.continue().catch(() => {}) })
  const answer = page.waitForResponse((response) => response.url().includes('/api/logout-all'))
  await overview.confirmationInput.fill('LOG OUT ALL')
  await overview.confirmButton.click()
  const counted = (await (await answer).json() as { clusters: Array<{ asOf: string | null }> }).clusters[0]?.asOf
  await overview.dialog.getByRole('button', { name: 'Done' }).click()

  await overview.logoutAllButton.click()
  await expect(count).toHaveText('Not counted yet: the inventory has not been read again since the last logout-all.')
  // Once the inventory has been read again (the one a change asks for comes 2 to 30 s later: asked
  // for here), the dialog counts again: nobody is left.
  const refreshed = await (await api.post('/api/inventory/refresh?wait=true')).json() as InventoryStatus
  expect(refreshed.clusters.find((c) => c.cluster === 'hq')?.asOf).not.toBe(counted)
  release()
  await expect(count).toContainText('This logs out 0 users on 0 phones')
})

test.describe('in a time zone far from UTC', () => {
  // Kiritimati is UTC+14: its day and the UTC day differ for 14 hours of each, and History's days are the browser's.
  test.use({ timezoneId: 'Pacific/Kiritimati' })

  test('"Failures today" opens History on exactly the failures it counts', async ({ overview, history, api, simulator, page, consoleErrors }) => {
    consoleErrors.allow(/Failed to load resource: the server responded with a status of 5\d\d/)
    // Counted: a logout CUCM did not answer (HTTP 503). Not counted: a look-up of a device that
    // does not exist (CUCM's answer about the name asked) and a success.
    await simulator.setFault('http-503')
    expect((await api.post('/api/devices/SEP001122334455/logout')).ok()).toBe(false)
    await simulator.setFault('none')
    expect((await api.get('/api/devices/SEPFFFFFFFFFFF0')).ok()).toBe(true)
    expect((await api.post('/api/devices/SEP001122334455/logout')).ok()).toBe(true)

    await overview.open()
    await expect(overview.failuresToday).toHaveAccessibleName(/^\d+ Failures today$/)
    const counted = Number(/^\d+/.exec(await overview.failuresToday.textContent() ?? '')?.[0])
    expect(counted).toBeGreaterThan(0)
    await overview.failuresToday.click()

    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date())
    await expect(page).toHaveURL(new RegExp(`#/history\\?outcome=failed&from=${today}&to=${today}$`))
    await expect(history.outcome).toHaveValue('failed')
    await expect(page.getByRole('status').filter({ hasText: /match/ })).toHaveText(counted === 1 ? '1 record matches these filters' : `${counted} records match these filters`)
    const rows = history.rows()
    await expect(rows.first()).toContainText('SEP001122334455')
    await expect(rows.first()).toContainText('Error')
    for (const row of await rows.all()) await expect(row).toContainText(/Failed|Error|No answer|Interrupted/)
    await expect(rows.filter({ hasText: 'SEPFFFFFFFFFFF0' })).toHaveCount(0)
  })
})

/**
 * A zone whose date is not UTC's at this hour: Kiritimati (UTC+14) from 10:00 UTC, else Pago Pago
 * (UTC−11, its afternoon or evening). A record made now then belongs to the browser's day, which
 * is not the UTC day (History's days are the browser's).
 */
const DATE_NOT_UTC = new Date().getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago'

test.describe('in a time zone whose date is not UTC\'s', () => {
  test.use({ timezoneId: DATE_NOT_UTC })

  test('the activity chart\'s days are the browser\'s: today\'s failures are on the last bar, named by the browser\'s date', async ({ overview, api, simulator, shell, page, consoleErrors }) => {
    consoleErrors.allow(/Failed to load resource: the server responded with a status of 5\d\d/)
    await simulator.setFault('http-503')
    expect((await api.post('/api/devices/SEP001122334455/logout')).ok()).toBe(false)
    await simulator.setFault('none')

    await overview.open()
    await expect(overview.failuresToday).toHaveAccessibleName(/^\d+ Failures today$/)
    const counted = Number(/^\d+/.exec(await overview.failuresToday.textContent() ?? '')?.[0])
    expect(counted).toBeGreaterThan(0)
    // The day as the chart names it, in the browser's words and zone.
    const today = await page.evaluate(() => new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' }).format(new Date()))
    await expect(overview.chartDays).toHaveCount(30)
    await expect(overview.chartDays.last()).toHaveText(new RegExp(`^${today}: \\d+ succeeded, ${counted} failed, (1 look-up|\\d+ look-ups)$`))

    // Each count says its word as one says it: "1 look-up", "0 look-ups". A cluster of its own (Branch's
    // simulator by another id) has exactly the one look-up made here, today.
    const branch = (await (await api.get('/api/clusters')).json() as ClusterList).clusters.find((c) => c.id === 'branch')
    expect((await api.post('/api/clusters', { id: 'one-look-up', name: 'One look-up', host: '127.0.0.1', port: branch?.port ?? 0, appUser: DEMO_APP_USER, appPassword: DEMO_APP_PASSWORD, caPem: branch?.caPem ?? '' })).status()).toBe(201)
    try {
      expect((await api.get('/api/devices/SEP001122334455?cluster=one-look-up')).ok()).toBe(true)
      // Added through the API, not the dashboard: the page learns of it by a load (its poll of the
      // clusters comes every 30 s, which this journey waited for).
      await page.reload()
      await shell.pickCluster('One look-up')
      await expect(overview.chartDays.last()).toHaveText(`${today}: 0 succeeded, 0 failed, 1 look-up`)
      await expect(overview.chartDays.first()).toHaveText(/: 0 succeeded, 0 failed, 0 look-ups$/)
      await expect(overview.activity.getByRole('img', { name: /^Actions per day/ })).toHaveAccessibleName('Actions per day: 0 succeeded, 0 failed and 1 look-up over 30 days')
    } finally {
      await api.delete('/api/clusters/one-look-up')
    }
  })
})
