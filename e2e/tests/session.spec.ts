import type { SignInInfo } from '@em-console/shared/schemas'
import { expect, test } from '../fixtures.ts'
import { startTestServer } from '../test-server.ts'

// These journeys start signed out and sign in through the page.
test.use({ signedInAs: null })

test('an admin signs in with the demo account the sign-in page shows, and signs out', async ({ signIn, shell, devices, api, consoleErrors, saveScreenshot }) => {
  // Opening the app signed out asks GET /api/session, which answers 401: the browser logs it.
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 401/)

  await signIn.open('#/devices')
  await expect(signIn.heading).toBeVisible()
  await expect(signIn.username).toBeFocused()
  await expect(shell.nav).toBeHidden()
  await expect(signIn.demoBox).toContainText('demo mode')
  await saveScreenshot('sign-in')

  const credentials = await signIn.demoCredentials()
  expect(credentials.username).toBe('demo')
  await signIn.signIn(credentials)

  // Back on the screen the address asked for, with who is signed in shown in the bar.
  await expect(shell.heading).toHaveText('Devices')
  await expect(devices.page).toHaveURL(/#\/devices$/)
  await expect(shell.signedInAs).toHaveText(/demo\s*Admin/)
  await expect(shell.nav.getByRole('link', { name: 'Accounts' })).toBeVisible()
  await devices.lookUp('SEP001122334455')
  await expect(devices.row('SEP001122334455')).toContainText('jdoe')
  // The demo password is shown on the sign-in page and nowhere else: not in the page drawn after
  // sign-in (hidden parts and attributes too) nor in what the browser keeps for the page.
  expect(await devices.page.content()).not.toContain(credentials.password)
  const kept = await devices.page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie]))
  expect(kept).not.toContain(credentials.password)

  await shell.signOut()
  await expect(signIn.heading).toBeVisible()
  await expect(shell.nav).toBeHidden()

  // The session is over on the server too: the API refuses, and a reload stays signed out.
  const refused = await api.get('/api/devices/SEP001122334455')
  expect(refused.status()).toBe(401)
  expect((await refused.json() as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED')
  await signIn.page.reload()
  await expect(signIn.heading).toBeVisible()
})

test('a wrong password is refused with the reason, and the password can be typed again', async ({ signIn, demo, consoleErrors, saveScreenshot }) => {
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 401/)

  await signIn.open()
  await signIn.signIn({ username: demo.username, password: 'not the password' })

  await expect(signIn.error).toContainText('Sign-in failed')
  await expect(signIn.error).toContainText('Wrong user name or password')
  await expect(signIn.password).toBeFocused()
  await expect(signIn.password).toHaveAttribute('aria-invalid', 'true')
  // Back on the field, a screen reader says why, not only "invalid entry".
  await expect(signIn.password).toHaveAccessibleDescription(/^Sign-in failed.*Wrong user name or password/)
  await expect(signIn.username).toHaveValue(demo.username)
  await expect(signIn.heading).toBeVisible()
  await saveScreenshot('sign-in-error')

  await signIn.password.fill(demo.password)
  await signIn.signInButton.click()
  await expect(signIn.page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible()
})

test('when the session ends, signing in again returns the user to where they were', async ({ signIn, shell, users, page, consoleErrors }) => {
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 401/)

  await signIn.open('#/users?user=jdoe')
  await signIn.useDemoButton.click()
  await expect(shell.heading).toHaveText('Users')
  await expect(users.devicesCard.getByText('SEP001122334455', { exact: true })).toBeVisible()

  // As if the session expired: the browser loses it, and the next call answers 401.
  await page.context().clearCookies()
  await users.lookUp('asmith')
  await expect(signIn.heading).toBeVisible()
  await expect(signIn.sessionEndedNotice).toBeVisible()
  await expect(page).toHaveURL(/#\/users\?user=asmith/)

  await signIn.useDemoButton.click()
  await expect(shell.heading).toHaveText('Users')
  await expect(page).toHaveURL(/#\/users\?user=asmith/)
  await expect(users.devicesCard).toBeVisible()
})

test('the setup page opens only with the token from the server log', async ({ page, signIn, consoleErrors, saveScreenshot }) => {
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 40[13]/)

  // In demo mode the demo admin exists, so setup is closed.
  await page.goto('/#/setup?token=not-the-token')
  await expect(page.getByRole('heading', { level: 1, name: 'Create the first admin' })).toBeVisible()
  await expect(page.getByRole('status')).toContainText('An account exists already')
  await page.getByRole('link', { name: 'Go to the sign-in page' }).click()
  await expect(signIn.heading).toBeVisible()

  // What a fresh server without accounts tells the page; the server itself still judges the token.
  await page.route('**/api/session/info', async (route) => {
    const info: SignInInfo = { mode: 'cucm', setupRequired: true }
    await route.fulfill({ json: info })
  })
  await page.goto('/#/setup?token=not-the-token')
  const username = page.getByLabel('User name')
  await expect(username).toBeFocused()
  await expect(username).toHaveValue('admin')
  await page.getByLabel('Password', { exact: true }).fill('a long enough password')
  await page.getByLabel('Repeat the password').fill('a long enough passw0rd')
  await page.getByRole('button', { name: 'Create admin and sign in' }).click()
  await expect(page.getByRole('alert')).toHaveText('The two passwords differ.')

  await page.getByLabel('Repeat the password').fill('a long enough password')
  await page.getByRole('button', { name: 'Create admin and sign in' }).click()
  const error = page.getByRole('alert')
  await expect(error).toContainText('Setup failed')
  await expect(error).toContainText('This setup link is not valid')
  await saveScreenshot('setup-refused')

  // And the sign-in page of such a server points to the link.
  await page.goto('/#/overview')
  await expect(signIn.heading).toBeVisible()
  await expect(page.getByText('No account exists yet')).toBeVisible()
  await expect(signIn.demoBox).toBeHidden()
})

test('a double click on "Sign in" signs in once: one session, one sign-in in the audit trail', async ({ signIn, shell, api, page, consoleErrors }) => {
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 401/)
  const posts: string[] = []
  page.on('request', (request) => { if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/session') posts.push(request.url()) })
  await signIn.open()
  const credentials = await signIn.demoCredentials()
  await signIn.username.fill(credentials.username)
  await signIn.password.fill(credentials.password)
  const from = new Date().toISOString()
  await signIn.signInButton.dblclick()
  await expect(shell.heading).toHaveText('Overview')
  const signIns = await api.get(`/api/audit?${new URLSearchParams({ action: 'sign-in', actor: credentials.username, from }).toString()}`)
  expect(signIns.status()).toBe(200)
  expect((await signIns.json() as { total: number }).total).toBe(1)
  expect(posts).toHaveLength(1)
})

test('a double click on "Create admin and sign in" creates the admin once and signs them in', async ({ page, shell, consoleErrors }) => {
  // No session before the setup; the Overview then asks this server's CUCM, which is not there.
  consoleErrors.allow(/Failed to load resource: the server responded with a status of (?:401|503)/)
  const server = await startTestServer({ setup: true })
  try {
    const posts: string[] = []
    page.on('request', (request) => { if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/setup') posts.push(request.url()) })
    await page.goto(server.setupUrl ?? '')
    await page.getByLabel('Password', { exact: true }).fill('a long enough password')
    await page.getByLabel('Repeat the password').fill('a long enough password')
    // Both clicks before the page draws the button busy (a busy page, or a quick double click).
    await page.getByRole('button', { name: 'Create admin and sign in' }).evaluate((button: HTMLButtonElement) => { button.click(); button.click() })
    await expect(page).toHaveURL(`${server.baseUrl}/#/overview`)
    await expect(shell.heading).toHaveText('Overview')
    await expect(page.getByText('Setup failed')).toHaveCount(0)
    expect(posts).toHaveLength(1)
  } finally {
    // The page leaves the server before it stops: nothing asks it while it goes.
    await page.goto('about:blank')
    await server.stop()
  }
})

test('the sign-in page\'s scripts and styles arrive brotli-compressed, together a third of their size or less', async ({ page, signIn, consoleErrors }) => {
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 401/)
  const assets: Array<Promise<{ url: string, encoding: string | undefined, sent: number, size: number }>> = []
  page.on('response', (response) => {
    if (!/\/assets\/.*\.(?:js|css)$/.test(response.url())) return
    assets.push((async () => {
      const [headers, sizes, body] = await Promise.all([response.allHeaders(), response.request().sizes(), response.body()])
      return { url: response.url(), encoding: headers['content-encoding'], sent: sizes.responseBodySize, size: body.length }
    })())
  })
  await signIn.open()
  await expect(signIn.heading).toBeVisible()
  const loaded = await Promise.all(assets)
  expect(loaded.some((a) => a.url.endsWith('.css')), 'the stylesheet was loaded').toBe(true)
  expect(loaded.filter((a) => a.url.endsWith('.js')).length, 'scripts were loaded').toBeGreaterThan(0)
  // The build compresses every file from 1 KB on.
  for (const asset of loaded.filter((a) => a.size >= 1024)) expect(asset.encoding, asset.url).toBe('br')
  const [sent, size] = loaded.reduce(([s, n], a) => [s + a.sent, n + a.size], [0, 0])
  expect(sent, `${sent} bytes sent of ${size}`).toBeLessThan(size / 3)
})
