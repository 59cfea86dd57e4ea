import { expect, test } from '../fixtures.ts'
import { SEED_PHONES } from '../pages/runs-page.ts'

/*
 * Where the keyboard is after an action: where the action was, or on its result; never dropped on
 * the page's <body>, where a screen reader starts again from the top (lib/focus-keeper.ts).
 */
test('after each action the keyboard stays where the action was, or moves to its result', async ({ page, devices, users, sessions, runs, schedules, api }) => {
  await devices.open()
  await devices.lookUp('SEP001122334455')
  await expect(devices.row('SEP001122334455', 'HQ (demo)')).toContainText('jdoe')
  // The button was disabled while the look-up ran: it has the focus again.
  await expect(devices.lookUpButton).toBeFocused()

  // The confirm button is replaced by the result: its row has the focus.
  await devices.logOut('SEP001122334455', 'HQ (demo)')
  await expect(devices.result('SEP001122334455 on HQ (demo)')).toContainText('Logged out')
  await expect(devices.row('SEP001122334455', 'HQ (demo)')).toBeFocused()

  // A look-up with Enter draws the screen again for that user: the same field has the focus.
  await users.open()
  await users.userInput.fill('jane.doe@example.com')
  await users.userInput.press('Enter')
  await expect(users.devicesCard).toBeVisible()
  await expect(users.userInput).toBeFocused()

  // A logout of the selected sessions cancelled with Escape: the selection stays, and so does its button, which has the focus again.
  await sessions.open()
  await sessions.rows().first().getByRole('checkbox').check()
  await sessions.logoutSelectedButton.press('Enter')
  await expect(sessions.dialog).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(sessions.dialog).toBeHidden()
  await expect(sessions.logoutSelectedButton).toHaveText('Log out selected (1)')
  await expect(sessions.logoutSelectedButton).toBeFocused()

  await runs.open()
  await runs.pasteList.fill('SEP001122334466')
  await runs.previewButton.click()
  await expect(runs.startButton).toBeVisible()
  await expect(runs.previewButton).toBeFocused()

  // A schedule created: its form is empty again and its button disabled until filled in; the form's card keeps the focus.
  const name = `focus-${Date.now().toString(36)}`
  await schedules.open()
  await schedules.name.fill(name)
  await schedules.cron.fill('0 3 * * *')
  await schedules.timezone.fill('UTC')
  await schedules.createButton.click()
  try {
    await expect(schedules.row(name)).toBeVisible()
    await expect(schedules.createForm).toBeFocused()
  } finally {
    // Other journeys count the schedules there are.
    const listed = await (await api.get('/api/schedules')).json() as { schedules: Array<{ id: number, name: string }> }
    for (const schedule of listed.schedules.filter((s) => s.name === name)) await api.delete(`/api/schedules/${schedule.id}`)
  }
})

test('a click elsewhere while a look-up runs is the person\'s: the focus is not pulled back when it ends', async ({ devices, page }) => {
  await devices.open()
  // The look-up's answer is held a moment, so the click comes while it runs.
  let release = (): void => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  await page.route('**/api/devices/status*', async (route) => { await held; await route.continue() })
  await devices.namesInput.fill('SEP001122334455')
  await devices.lookUpButton.click()
  await expect(page.getByRole('button', { name: 'Looking up…' })).toBeDisabled()
  // The person clicks the header's empty corner (nothing focusable) while it runs.
  await page.getByRole('banner').click({ position: { x: 2, y: 2 } })
  expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BODY')
  release()
  await expect(devices.row('SEP001122334455', 'HQ (demo)')).toContainText('jdoe')
  await expect(devices.lookUpButton).toBeEnabled()
  expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BODY')
})

test('a screen opened from the navigation takes the focus: a screen reader reads it, and the next Tab is within it, not back in the header', async ({ page, shell, devices, history }) => {
  await devices.open()
  // The skip link moves the keyboard into the screen; the screen stays (its #main is not a route).
  await expect(devices.lookUpButton).toBeVisible()
  await shell.skipLink.focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('main')).toBeFocused()
  await expect(shell.heading).toHaveText('Devices')
  await expect(page).toHaveURL(/#\/devices$/)

  await shell.nav.getByRole('link', { name: 'History', exact: true }).focus()
  await page.keyboard.press('Enter')
  await expect(shell.heading).toHaveText('History')
  await expect(page.getByRole('main')).toBeFocused()
  await expect(history.from).toBeVisible()
  await page.keyboard.press('Tab')
  expect(await page.evaluate(() => document.activeElement?.closest('main') !== null && document.activeElement?.tagName !== 'MAIN')).toBe(true)
})

test('a screen opened from within another, its code not loaded yet, takes the focus: not left on the page\'s <body>', async ({ page, overview, sessions, runs }) => {
  // Each screen's code is held until the link or action has been followed: a first visit on a slow
  // network. The screen left waits hidden meanwhile, and the browser drops the focus it held.
  const hold = async (chunk: string): Promise<() => void> => {
    let release = (): void => {}
    const held = new Promise<void>((resolve) => { release = resolve })
    await page.route(`**/assets/${chunk}-*.js`, async (route) => { await held; await route.continue() })
    return release
  }
  const releaseSessions = await hold('sessions-screen')
  await overview.open()
  await page.getByRole('link', { name: 'All sessions →' }).focus()
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/#\/sessions$/)
  releaseSessions()
  await expect(sessions.rows().first()).toBeVisible()
  await expect(page.getByRole('main')).toBeFocused()

  // A logout of the selected sessions started: the run's page opens, and has the focus.
  const releaseRuns = await hold('runs-screen')
  await sessions.rows().first().getByRole('checkbox').check()
  await sessions.logoutSelectedButton.press('Enter')
  // A press, unlike a click, does not wait for the button to be enabled (its preview come): on a
  // busy machine the Enter went to the dialog's first control, which closed it (CI on 7e38f0a).
  await expect(sessions.startButton).toBeEnabled()
  await sessions.startButton.press('Enter')
  await expect(page).toHaveURL(/#\/runs\/[\w-]+$/)
  releaseRuns()
  await expect(runs.state).toBeVisible()
  await expect(page.getByRole('main')).toBeFocused()
  await page.keyboard.press('Tab')
  expect(await page.evaluate(() => document.activeElement?.closest('main') !== null && document.activeElement?.tagName !== 'MAIN')).toBe(true)
})

test('a browser without checkVisibility (Safari before 17.4): a screen opened from within another still opens, and takes the focus', async ({ page, overview, sessions }) => {
  await page.addInitScript(() => { Reflect.deleteProperty(Element.prototype, 'checkVisibility') })
  const errors: string[] = []
  page.on('pageerror', (error) => { errors.push(error.message) })
  await overview.open()
  await page.getByRole('link', { name: 'All sessions →' }).focus()
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/#\/sessions$/)
  await expect(sessions.rows().first()).toBeVisible()
  await expect(page.getByRole('main')).toBeFocused()
  expect(errors).toEqual([])
})

test('tabbing down a long screen and back up, the focused control is never hidden under the sticky header', async ({ page, settings, schedules }) => {
  // Shift+Tab to a control above the window scrolls it to the window's top edge, where the header
  // stays: unless the page keeps that band free, the control is hidden (WCAG 2.4.11).
  const hidden = async (): Promise<string | null> => await page.evaluate(() => {
    const focused = document.activeElement
    const header = document.querySelector('header')
    if (focused === null || header === null) return null
    // What is painted at the control's top edge: the header, if it covers the control there.
    const box = focused.getBoundingClientRect()
    const top = document.elementFromPoint(box.left + box.width / 2, Math.max(0, box.top + 2))
    return top !== null && header.contains(top) && !header.contains(focused) ? `${focused.outerHTML.slice(0, 100)} at ${Math.round(box.top)} px` : null
  })
  const screens = [
    { open: async () => { await settings.open() }, ready: page.getByRole('button', { name: 'Save settings' }) },
    { open: async () => { await schedules.open() }, ready: schedules.createButton }
  ]
  // A laptop's window: the screens are longer than it.
  await page.setViewportSize({ width: 1280, height: 560 })
  for (const screen of screens) {
    await screen.open()
    await expect(screen.ready).toBeVisible()
    // Down to the page's end (the focus leaves the last control for the browser's own), then back up.
    let steps = 0
    while (steps < 200 && await page.evaluate(() => document.activeElement !== document.body || window.scrollY === 0)) {
      await page.keyboard.press('Tab')
      steps++
    }
    expect(await page.evaluate(() => window.scrollY), 'the page scrolled down with the focus').toBeGreaterThan(200)
    const seen: string[] = []
    for (let i = 0; i < steps; i++) {
      await page.keyboard.press('Shift+Tab')
      const under = await hidden()
      if (under !== null) seen.push(under)
    }
    expect(seen, 'controls that had the focus under the header').toEqual([])
  }
})

test('a dialog gives the focus back to the button that opened it: when it goes with its owner, and once that button is no longer busy', async ({ page, clusters, schedules, api }) => {
  // Add cluster… draws its dialog only while open: Escape took the dialog away, and the focus fell to the card.
  await clusters.open()
  await clusters.addButton.focus()
  await page.keyboard.press('Enter')
  await expect(clusters.field('Id')).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(clusters.dialog).toBeHidden()
  await expect(clusters.addButton).toBeFocused()

  // Run now confirmed: its button is disabled while the schedule runs, so the dialog's close could not give it back (<body>).
  const name = `focus-run-${Date.now().toString(36)}`
  const created = await api.post('/api/schedules', { name, cron: '0 2 * * *', timezone: 'UTC', enabled: false, action: 'logout-device-pools', pools: ['DP_CHICAGO'], clusters: ['branch'] })
  expect(created.status()).toBe(201)
  try {
    await schedules.open()
    const runNow = schedules.row(name).getByRole('button', { name: `Run now: ${name}` })
    await runNow.focus()
    await page.keyboard.press('Enter')
    await schedules.runNowDialog.getByRole('button', { name: 'Run now' }).focus()
    await page.keyboard.press('Enter')
    await expect(page.getByRole('row', { name: `Result for ${name}` })).toContainText('Done')
    // The button once enabled again; on a slow run, after a while, its row.
    await expect.poll(async () => await page.evaluate(() => document.activeElement?.closest('tr')?.textContent ?? document.activeElement?.tagName)).toContain(name)
  } finally {
    await api.delete(`/api/schedules/${(await created.json() as { id: number }).id}`)
  }
})

test('Disable and Enable take each other\'s place: the focus goes on to the one drawn, not to the row', async ({ page, clusters, accounts, api }) => {
  const cluster = await api.post('/api/clusters', { id: 'focus-switch', name: 'Focus switch', host: '127.0.0.1', port: 9, appUser: 'nobody', appPassword: 'not-a-password', enabled: false })
  expect(cluster.status(), await cluster.text()).toBe(201)
  const username = `focus-${Date.now().toString(36)}`
  expect((await api.post('/api/accounts', { username, password: 'a password of focus', role: 'viewer' })).status()).toBe(201)
  try {
    await clusters.open()
    await clusters.row('focus-switch').getByRole('button', { name: 'Enable focus-switch' }).press('Enter')
    await expect(clusters.row('focus-switch').getByRole('button', { name: 'Disable focus-switch' })).toBeFocused()
    await page.keyboard.press('Enter')
    await page.getByRole('group', { name: 'Confirm disabling focus-switch' }).getByRole('button', { name: 'Disable' }).press('Enter')
    await expect(clusters.row('focus-switch').getByRole('button', { name: 'Enable focus-switch' })).toBeFocused()

    await accounts.open()
    await accounts.row(username).getByRole('button', { name: `Disable ${username}` }).press('Enter')
    await accounts.row(username).getByRole('group', { name: `Confirm disabling ${username}` }).getByRole('button', { name: 'Confirm' }).press('Enter')
    await expect(accounts.result(username)).toContainText(`${username} is disabled`)
    await expect(accounts.row(username).getByRole('button', { name: `Enable ${username}` })).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(accounts.result(username)).toContainText(`${username} can sign in again`)
    await expect(accounts.row(username).getByRole('button', { name: `Disable ${username}` })).toBeFocused()
  } finally {
    await api.delete('/api/clusters/focus-switch')
  }
})

test('a cluster\'s Disable drawn after its Enable answers Enter at once, while the health card is still read again', async ({ page, clusters, api }) => {
  const cluster = await api.post('/api/clusters', { id: 'focus-slow', name: 'Focus slow', host: '127.0.0.1', port: 9, appUser: 'nobody', appPassword: 'not-a-password', enabled: false })
  expect(cluster.status(), await cluster.text()).toBe(201)
  try {
    await clusters.open()
    // After a change the health card reads the clusters again too; its answer is held.
    let release = (): void => {}
    const held = new Promise<void>((resolve) => { release = resolve })
    await page.route('**/api/health*', async (route) => { await held; await route.continue() })
    await clusters.row('focus-slow').getByRole('button', { name: 'Enable focus-slow' }).press('Enter')
    await expect(clusters.row('focus-slow').getByRole('button', { name: 'Disable focus-slow' })).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(page.getByRole('group', { name: 'Confirm disabling focus-slow' })).toBeVisible()
    release()
  } finally {
    await api.delete('/api/clusters/focus-slow')
  }
})

test('an audit record opened from a run\'s item: Escape leaves the focus on the audit trail, Back on the item\'s link', async ({ page, runs, history, api }) => {
  await runs.startLogins(SEED_PHONES, 'asmith')
  await expect(runs.state).toHaveText('State: Done', { timeout: 20_000 })
  // Newer records than the run's: its first item's record is not on History's first page.
  for (let i = 0; i < 25; i++) expect((await api.post('/api/devices/SEP00AABBCCDDEE/login', { userId: 'nobody-here' })).ok()).toBe(false)
  const link = runs.itemRow(SEED_PHONES[0] ?? '').getByRole('link', { name: /audit record of/ })
  await link.focus()
  await page.keyboard.press('Enter')
  await expect(history.detail).toContainText('Request sent to CUCM')
  await page.keyboard.press('Escape')
  await expect(history.detail).toBeHidden()
  // Not the page's top (main): the trail the record belongs to.
  await expect(page.getByRole('region', { name: 'Audit trail' })).toBeFocused()

  await page.goBack()
  await expect(runs.state).toHaveText('State: Done')
  await expect(link).toBeFocused()
})

test('Cancel run by keyboard: the focus stays on it while the run stops, then on the run, never on the page\'s <body>', async ({ page, runs, simulator }) => {
  // CUCM holds the logins' answers until the cancel has landed.
  await simulator.hold('changes')
  try {
    await runs.startLogins(SEED_PHONES, 'asmith')
    await expect(runs.state).toHaveText('State: Running')
    // Every frame from here on: was the focus on <body>?
    await page.evaluate(() => {
      const seen = { body: 0 }
      Object.assign(window, { focusSeen: seen })
      const look = (): void => { if (document.activeElement === document.body) seen.body++; requestAnimationFrame(look) }
      requestAnimationFrame(look)
    })
    await runs.cancelButton.focus()
    await page.keyboard.press('Enter')
    await expect(runs.state).toHaveText('State: Cancelling')
    await simulator.hold('none')
    await expect(runs.state).toHaveText('State: Cancelled', { timeout: 20_000 })
    await expect(runs.run).toBeFocused()
    expect(await page.evaluate(() => (window as unknown as { focusSeen: { body: number } }).focusSeen.body), 'frames with the focus on <body>').toBe(0)
  } finally {
    await simulator.hold('none')
  }
})
