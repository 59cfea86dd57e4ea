import type { Locator, Route } from '@playwright/test'
import { expect, test } from '../fixtures.ts'
import { AppShell } from '../pages/app-shell.ts'
import { SEED_PHONES } from '../pages/runs-page.ts'
import { SignInPage } from '../pages/sign-in-page.ts'

/*
 * What the browser itself does to the dashboard: a page reloaded, a connection that drops, other
 * tabs of the same browser.
 */

test('a run page whose server stops answering says so, and catches up once it answers again', async ({ runs, page, simulator, consoleErrors }) => {
  consoleErrors.allow(/net::ERR_CONNECTION_REFUSED/)
  // CUCM holds the logins' answers: the run goes on until the journey lets them go.
  await simulator.hold('changes')
  await runs.startLogins(SEED_PHONES, 'asmith')
  await expect(runs.state).toHaveText('State: Running')

  // The server goes away (a restart): its progress stream can no longer be reached. The page is
  // reloaded meanwhile, as a person does when a page seems stuck.
  const stream = '**/api/runs/*/events'
  await page.route(stream, async (route) => { await route.abort('connectionrefused') })
  await page.reload()
  await expect(runs.state).toHaveText('State: Running')
  const lost = runs.run.getByRole('status').filter({ hasText: 'The EM Console server does not answer' })
  await expect(lost).toBeVisible()
  await expect(lost).toContainText('trying again')

  // Back: the page reconnects by itself and shows where the run got to.
  await page.unroute(stream)
  await simulator.hold('none')
  await expect(runs.state).toHaveText('State: Done', { timeout: 20_000 })
  await expect(lost).toBeHidden()
  await expect(runs.progressLabel).toHaveText(`${SEED_PHONES.length} of ${SEED_PHONES.length} devices finished`)
})

test('two tabs: signing out in one shows the other the sign-in page at once, and signing in again there lets the other act without a reload', async ({ page, devices, shell, signIn, demo, consoleErrors }) => {
  consoleErrors.allow(/status of 401/)
  await devices.open()
  await devices.lookUp('SEP001122334455')
  await expect(devices.row('SEP001122334455', 'HQ (demo)')).toContainText('jdoe')

  const other = await page.context().newPage()
  const otherShell = new AppShell(other)
  await other.goto('/#/overview')
  await expect(otherShell.heading).toHaveText('Overview')
  await otherShell.signOut()
  await expect(new SignInPage(other).heading).toBeVisible()

  // The first tab, left alone, no longer shows what only a signed-in person may see.
  await expect(signIn.heading).toBeVisible()
  await expect(devices.results).toBeHidden()
  await expect(page).toHaveURL(/#\/devices\?names=SEP001122334455$/)

  // Signed in again in the other tab: this one follows, back where it was, and its changes are
  // taken (the new session's CSRF token, not the old one's "Missing or wrong x-csrf-token").
  await new SignInPage(other).signIn(demo)
  await expect(otherShell.heading).toHaveText('Overview')
  await expect(shell.heading).toHaveText('Devices')
  await devices.logOut('SEP001122334455', 'HQ (demo)')
  await expect(devices.result('SEP001122334455 on HQ (demo)')).toContainText('Logged out')
  await other.close()
})

test('a form half filled when the session ends is still filled after signing in again, and a person signing in in its place gets an empty one', async ({ signIn, shell, schedules, page, api, consoleErrors }) => {
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 401/)
  await schedules.open()
  await schedules.name.fill('friday-night')
  await schedules.cron.fill('0 22 * * 5')

  // The session expires while the admin types; their Create is answered 401. The page's own reads
  // (its polls) wait meanwhile: one answered 401 first would show the sign-in page before the click.
  const createRefused = async (): Promise<void> => {
    let answered = (): void => {}
    const held = new Promise<void>((resolve) => { answered = resolve })
    const holdReads = async (route: Route): Promise<void> => {
      if (route.request().method() === 'GET') await held
      await route.fallback()
    }
    await page.route('**/api/**', holdReads)
    await page.context().clearCookies()
    const create = page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/schedules')
    await schedules.createButton.click()
    expect((await create).status()).toBe(401)
    answered()
    await page.unroute('**/api/**', holdReads)
  }
  await createRefused()
  await expect(signIn.heading).toBeVisible()
  await expect(signIn.sessionEndedNotice).toBeVisible()
  await expect(schedules.createForm).toBeHidden()

  await signIn.useDemoButton.click()
  await expect(shell.heading).toHaveText('Schedules')
  await expect(schedules.name).toHaveValue('friday-night')
  await expect(schedules.cron).toHaveValue('0 22 * * 5')
  await schedules.createButton.click()
  await expect(schedules.row('friday-night')).toBeVisible()
  const listed = await (await api.get('/api/schedules')).json() as { schedules: Array<{ id: number, name: string }> }
  const created = listed.schedules.find((schedule) => schedule.name === 'friday-night')
  expect(created).toBeDefined()

  // Another person signing in after an expiry sees nothing the last one typed.
  const stamp = Date.now().toString(36)
  const other = { username: `kept-${stamp}`, password: `Kept-Passw0rd-${stamp}` }
  expect((await api.post('/api/accounts', { ...other, role: 'admin' })).status()).toBe(201)
  await schedules.name.fill('half-typed')
  await createRefused()
  await expect(signIn.heading).toBeVisible()
  await signIn.username.fill(other.username)
  await signIn.password.fill(other.password)
  await signIn.signInButton.click()
  await expect(shell.heading).toHaveText('Schedules')
  await expect(schedules.name).toHaveValue('')
  // Other journeys count the schedules there are.
  expect((await api.delete(`/api/schedules/${created?.id ?? 0}`)).ok()).toBe(true)
})

test('two tabs: the answer to an older session change, come late, does not undo a newer one', async ({ page, devices, shell, signIn, demo, consoleErrors }) => {
  consoleErrors.allow(/status of 401/)
  await devices.open()
  const other = await page.context().newPage()
  const otherShell = new AppShell(other)
  await other.goto('/#/overview')
  await expect(otherShell.heading).toHaveText('Overview')

  // This tab's first read of the session after the other's news is answered at once (signed out)
  // but reaches the page only after its second read (signed in again) has. The other tab signs in
  // again only once the server has answered that first read: asked later, it was answered signed in.
  let reads = 0
  let release: () => void = () => {}
  const released = new Promise<void>((resolve) => { release = resolve })
  let answered: (status: number) => void = () => {}
  const firstRead = new Promise<number>((resolve) => { answered = resolve })
  const late = page.waitForResponse((response) => response.url().endsWith('/api/session') && response.status() === 401)
  await page.route('**/api/session', async (route) => {
    if (route.request().method() !== 'GET' || ++reads > 1) return await route.fallback()
    const response = await route.fetch()
    answered(response.status())
    await released
    await route.fulfill({ response })
  })
  const newer = page.waitForResponse((response) => response.url().endsWith('/api/session') && response.status() === 200)
  await otherShell.signOut()
  await expect(new SignInPage(other).heading).toBeVisible()
  expect(await firstRead, 'this tab\'s first read, answered before the other signs in again').toBe(401)
  await new SignInPage(other).signIn(demo)
  await expect(otherShell.heading).toHaveText('Overview')
  await newer
  release()
  await late

  // Still signed in, with the newer session's CSRF token: a change is taken.
  await expect(signIn.heading).toBeHidden()
  await expect(shell.heading).toHaveText('Devices')
  await devices.lookUp('SEP001122334455')
  await devices.logOut('SEP001122334455', 'HQ (demo)')
  await expect(devices.result('SEP001122334455 on HQ (demo)')).toContainText('Logged out')
  await other.close()
})

test('in forced colors (Windows high contrast) the current screen, a run\'s progress and a schedule\'s switch still show', async ({ page, shell, runs, schedules, api }) => {
  await page.emulateMedia({ forcedColors: 'active' })
  // Forced colors paint every background alike: what only a background drew must be drawn otherwise.
  const looks = async (locator: Locator) => await locator.evaluate((element) => {
    const style = getComputedStyle(element)
    return { background: style.backgroundColor, border: `${style.borderBottomStyle} ${style.borderBottomColor}`, decoration: style.textDecorationLine, outline: style.outlineStyle }
  })

  // A finished run of one unknown device: its meter is full.
  const started = await api.post('/api/runs', { action: 'logout', devices: ['SEPFC0000000001'] })
  expect(started.status(), await started.text()).toBe(202)
  await page.goto(`/#/runs/${(await started.json() as { id: string }).id}`)
  await expect(runs.state).toHaveText('State: Done')
  await expect(runs.progress).toHaveAttribute('aria-valuenow', '1')
  expect((await looks(runs.progress.locator('span'))).background).not.toBe((await looks(runs.progress)).background)

  // The screen one is on stands out from the others in the navigation, not by its background alone.
  const current = await looks(shell.nav.getByRole('link', { name: 'Bulk runs' }))
  const other = await looks(shell.nav.getByRole('link', { name: 'History' }))
  expect({ ...current, background: '' }).not.toEqual({ ...other, background: '' })

  // A schedule's Enabled switch: on and off look different, and the switch is drawn at all.
  const stamp = Date.now().toString(36)
  const names = [`fc-on-${stamp}`, `fc-off-${stamp}`]
  const ids: number[] = []
  try {
    for (const name of names) {
      const created = await api.post('/api/schedules', { name, cron: '0 3 1 1 *', timezone: 'UTC', action: 'logout-all', enabled: name.startsWith('fc-on') })
      expect(created.status(), await created.text()).toBe(201)
      ids.push((await created.json() as { id: number }).id)
    }
    await schedules.open()
    const on = schedules.row(names[0] ?? '').getByRole('switch')
    const off = schedules.row(names[1] ?? '').getByRole('switch')
    await expect(on).toBeChecked()
    await expect(off).not.toBeChecked()
    const track = (input: Locator) => input.locator('xpath=following-sibling::span[1]')
    expect((await looks(track(off))).border).not.toMatch(/^none/)
    expect(await track(on).screenshot()).not.toEqual(await track(off).screenshot())
  } finally {
    // Other journeys count the schedules there are.
    for (const id of ids) await api.delete(`/api/schedules/${id}`)
  }
})

test('with reduced motion asked for, the busy bar of a logout of all stands still instead of flickering', async ({ page, overview }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' })
  // CUCM's answer is held, so the dialog stays busy while it is looked at.
  let release = (): void => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  await page.route('**/api/logout-all*', async (route) => { await held; await route.continue() })
  await overview.open()
  await overview.logOutAll()
  await expect(overview.dialog).toHaveAccessibleName('Logging out all EM users…')
  // An endless animation shortened to a blink jumps to a new place at every frame: none may run.
  const endless = await page.evaluate(() => document.getAnimations().filter((animation) => animation.playState === 'running' && animation.effect?.getComputedTiming().iterations === Infinity).length)
  expect(endless).toBe(0)
  await expect(overview.dialog.locator('.progress-bar span')).toBeVisible()
  release()
  await expect(overview.dialog.getByRole('button', { name: 'Done' })).toBeFocused()
})

test('with reduced motion asked for, the log-in form is brought into view without a smooth scroll', async ({ page, devices }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' })
  // What the page asks of the browser's scrolling, as it asks it.
  await page.addInitScript(() => {
    const asked: unknown[] = []
    Object.assign(window, { scrollsAsked: asked })
    const scroll = Element.prototype.scrollIntoView
    Element.prototype.scrollIntoView = function (options?: boolean | ScrollIntoViewOptions) {
      asked.push(options)
      scroll.call(this, options)
    }
  })
  await devices.open()
  await devices.lookUp('SEP00AABBCCDDEE')
  await devices.row('SEP00AABBCCDDEE').getByRole('button', { name: 'Log in to SEP00AABBCCDDEE' }).click()
  await expect(devices.loginForm.getByLabel('User ID')).toBeFocused()
  const asked = await page.evaluate(() => (window as unknown as { scrollsAsked: Array<ScrollIntoViewOptions | undefined> }).scrollsAsked)
  expect(asked.length).toBeGreaterThan(0)
  expect(asked.map((options) => options?.behavior)).not.toContain('smooth')
})

test('the page asks for the session as it starts, before its first render, not from that render\'s effects', async ({ page, overview }) => {
  await page.addInitScript(() => {
    const times: Record<string, number> = {}
    Object.assign(window, { startTimes: times })
    const fetchOf = window.fetch.bind(window)
    window.fetch = async (input, init) => {
      if (String(input instanceof Request ? input.url : input).endsWith('/api/session')) times.session ??= performance.now()
      return await fetchOf(input, init)
    }
    new MutationObserver(() => {
      if (document.querySelector('#root > *') !== null) times.rendered ??= performance.now()
    }).observe(document, { childList: true, subtree: true })
  })
  await overview.open()
  await expect(overview.logoutAllButton).toBeVisible()
  const times = await page.evaluate(() => (window as unknown as { startTimes: Record<string, number> }).startTimes)
  expect(times.session, 'the session was asked').toBeDefined()
  expect(times.rendered, 'the page rendered').toBeDefined()
  expect(times.session ?? Infinity, 'asked before the first render').toBeLessThan(times.rendered ?? 0)
})
