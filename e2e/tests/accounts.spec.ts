import { request as playwrightRequest } from '@playwright/test'
import type { Session } from '@em-console/shared/schemas'
import { expect, test } from '../fixtures.ts'

/** A name no earlier run of the journey used (the database is fresh per run, but --repeat-each is not). */
function uniqueName (prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}`
}

test('an admin creates a viewer, who can look things up but cannot log anyone out', async ({ accounts, shell, signIn, overview, devices, users, page, consoleErrors, saveScreenshot }) => {
  // After signing out, the page asks GET /api/session once more, which answers 401.
  // The refused password (400), and after signing out GET /api/session asked once more (401).
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 40[01]/)
  const viewer = { username: uniqueName('vera'), password: 'correct horse battery' }

  await page.goto('/#/overview')
  await shell.goTo('Accounts')
  await expect(shell.heading).toHaveText('Accounts')
  await expect(accounts.row('demo')).toContainText('(you)')

  // The server's password rule shows under the password field.
  await accounts.create({ username: viewer.username, password: 'short' }, 'viewer')
  const passwordError = accounts.createForm.getByRole('alert')
  await expect(passwordError).toContainText('12')
  await expect(accounts.newPassword).toHaveAttribute('aria-invalid', 'true')

  await accounts.create(viewer, 'viewer')
  await expect(accounts.createForm.getByRole('status')).toContainText(`Created viewer account ${viewer.username}`)
  const row = accounts.row(viewer.username)
  await expect(row.getByLabel(`Role of ${viewer.username}`)).toHaveValue('viewer')
  await expect(row).toContainText('Active')
  await expect(row).toContainText('Never')
  await saveScreenshot('accounts')

  await shell.signOut()
  await signIn.signIn(viewer)
  await expect(shell.signedInAs).toHaveText(new RegExp(`${viewer.username}\\s*Viewer`))

  // Signed in where the admin signed out: Accounts, which says who may use it, and is not in the
  // navigation. The server refuses the viewer anyway (the access matrix proves it).
  await expect(shell.heading).toHaveText('Accounts')
  await expect(page.getByRole('status')).toContainText('Accounts are managed by admins')
  await expect(accounts.createForm).toHaveCount(0)
  await expect(shell.nav.getByRole('link', { name: 'History' })).toBeVisible()
  await expect(shell.nav.getByRole('link', { name: 'Accounts' })).toHaveCount(0)

  // No Log out all on the Overview.
  await shell.goTo('Overview')
  await expect(overview.connectionCard).toBeVisible()
  await expect(overview.logoutAllButton).toHaveCount(0)

  // Devices: the status, but no logout or login buttons and no login form.
  await shell.goTo('Devices')
  await devices.lookUp('SEP001122334455', 'SEP00AABBCCDDEE')
  await expect(devices.row('SEP001122334455')).toContainText('jdoe')
  await expect(devices.row('SEP00AABBCCDDEE')).toContainText('Nobody logged in')
  // No logout or login in the rows (the headers' buttons only sort).
  await expect(devices.results.locator('tbody').getByRole('button')).toHaveCount(0)
  await expect(devices.loginForm).toHaveCount(0)
  await saveScreenshot('devices-viewer')

  // Users: where jdoe is, but no "Log out everywhere" and no login form.
  await shell.goTo('Users')
  await users.lookUp('jdoe')
  await expect(users.devicesCard.getByText('SEP001122334455', { exact: true })).toBeVisible()
  await expect(users.devicesCard.getByRole('button')).toHaveCount(0)
  await expect(users.loginForm('jdoe')).toHaveCount(0)

  // The server refuses the viewer's logout anyway.
  const session = await (await page.request.get('/api/session')).json() as Session
  const refused = await page.request.post('/api/devices/SEP001122334455/logout', { headers: { 'x-csrf-token': session.csrfToken } })
  expect(refused.status()).toBe(403)
  expect((await refused.json() as { error: { code: string } }).error.code).toBe('FORBIDDEN')
})

test('an admin changes a role, disables and enables an account and resets its password', async ({ accounts, baseURL, consoleErrors, saveScreenshot }) => {
  // The refused password (400) and the refused demotion of the last admin (409).
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 40[09]/)
  const operator = { username: uniqueName('otto'), password: 'first password of otto' }
  // A context of its own, so its sign-ins do not replace the admin's session in the page.
  const outsider = await playwrightRequest.newContext({ baseURL })
  const canSignIn = async (password: string): Promise<number> => {
    const response = await outsider.post('/api/session', { data: { username: operator.username, password } })
    return response.status()
  }

  await accounts.open()
  await accounts.create(operator, 'operator')
  const row = accounts.row(operator.username)
  await expect(row.getByLabel(`Role of ${operator.username}`)).toHaveValue('operator')

  await accounts.changeRole(operator.username, 'viewer')
  await expect(accounts.result(operator.username)).toContainText(`${operator.username} is now viewer`)
  await expect(row.getByLabel(`Role of ${operator.username}`)).toHaveValue('viewer')

  // By keyboard: Save and Cancel go once pressed; the select, where the role is chosen, keeps the focus.
  const roleSelect = row.getByLabel(`Role of ${operator.username}`)
  await roleSelect.selectOption('admin')
  await row.getByRole('button', { name: 'Cancel' }).press('Enter')
  await expect(roleSelect).toHaveValue('viewer')
  await expect(roleSelect).toBeFocused()
  await roleSelect.selectOption('operator')
  await row.getByRole('button', { name: `Save role of ${operator.username}` }).press('Enter')
  await expect(accounts.result(operator.username)).toContainText(`${operator.username} is now operator`)
  await expect(roleSelect).toBeFocused()

  await accounts.disable(operator.username)
  await expect(row).toContainText('Disabled')
  expect(await canSignIn(operator.password)).toBe(401)
  await accounts.enable(operator.username)
  await expect(row).toContainText('Active')
  expect(await canSignIn(operator.password)).toBe(200)

  await accounts.openResetPassword(operator.username)
  const dialog = accounts.resetDialog
  const newPassword = dialog.getByLabel('New password')
  await expect(newPassword).toBeFocused()
  await newPassword.fill(`${operator.username} secret`)
  await dialog.getByRole('button', { name: 'Set password' }).click()
  await expect(dialog.getByRole('alert')).toContainText('user name')
  await newPassword.fill('second password, longer')
  await saveScreenshot('accounts-reset-password')
  await dialog.getByRole('button', { name: 'Set password' }).click()
  await expect(dialog.getByRole('status')).toContainText('was changed')
  await dialog.getByRole('button', { name: 'Done' }).click()
  await expect(dialog).toBeHidden()
  expect(await canSignIn('second password, longer')).toBe(200)

  // The last admin cannot demote themselves: the server says so, and what to do instead.
  await accounts.changeRole('demo', 'operator')
  const error = accounts.result('demo').getByRole('alert')
  await expect(error).toContainText('Could not change demo')
  await expect(error).toContainText('make another admin first')
  await expect(accounts.row('demo').getByLabel('Role of demo')).toHaveValue('admin')
  await saveScreenshot('accounts-last-admin')
  await outsider.dispose()
})

test('a role another admin changed since the list was read shows as it is now, with nothing to save', async ({ accounts, api }) => {
  const operator = { username: uniqueName('olga'), password: 'first password of olga' }
  await accounts.open()
  await accounts.create(operator, 'operator')
  const row = accounts.row(operator.username)
  const roleSelect = row.getByLabel(`Role of ${operator.username}`, { exact: true })
  await expect(roleSelect).toHaveValue('operator')

  // Another admin (another tab, another browser) makes her a viewer; this page reads the list again
  // (here after the next account it creates: a window's focus does the same).
  const list = (await (await api.get('/api/accounts')).json() as { accounts: Array<{ id: number, username: string }> }).accounts
  const id = list.find((account) => account.username === operator.username)?.id
  expect((await api.patch(`/api/accounts/${String(id)}`, { role: 'viewer' })).status()).toBe(200)
  await accounts.create({ username: uniqueName('oleg'), password: 'first password of oleg' }, 'viewer')
  await expect(accounts.createForm.getByRole('status')).toContainText('Created viewer account')

  await expect(roleSelect).toHaveValue('viewer')
  await expect(row.getByRole('button', { name: `Save role of ${operator.username}` })).toHaveCount(0)
})

test('a viewer changes their own password from the Account menu, the current one asked first', async ({ api, shell, signIn, page, consoleErrors, saveScreenshot }) => {
  // The refused current password (400), and after signing out GET /api/session asked once more (401).
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 40[01]/)
  const viewer = { username: uniqueName('pat'), password: 'first password of pat' }
  const next = 'second password of pat'
  expect((await api.post('/api/accounts', { ...viewer, role: 'viewer' })).status()).toBe(201)
  await page.goto('/#/overview')
  await shell.signOut()
  await signIn.signIn(viewer)
  await expect(shell.signedInAs).toHaveText(new RegExp(`${viewer.username}\\s*Viewer`))

  await shell.openAccount()
  await expect(shell.accountDialog).toContainText(`User name ${viewer.username}, role viewer`)
  await expect(shell.accountDialog.getByLabel('Current password')).toBeFocused()
  await shell.changePassword('not the password', next)
  await expect(shell.accountDialog.getByRole('alert')).toContainText('The current password is not right')
  await expect(shell.accountDialog.getByLabel('Current password')).toHaveAttribute('aria-invalid', 'true')

  await shell.changePassword(viewer.password, next)
  await expect(shell.accountDialog.getByRole('status')).toContainText('Your password is changed')
  await saveScreenshot('account-dialog')
  await page.keyboard.press('Escape')
  await expect(shell.accountDialog).toBeHidden()
  await expect(shell.accountButton).toBeFocused()

  // This session stayed; the old password no longer signs in, the new one does.
  await shell.goTo('Devices')
  await expect(shell.heading).toHaveText('Devices')
  await shell.signOut()
  await signIn.signIn(viewer)
  await expect(signIn.error).toContainText('Wrong user name or password')
  await signIn.signIn({ username: viewer.username, password: next })
  await expect(shell.signedInAs).toHaveText(new RegExp(`${viewer.username}\\s*Viewer`))
})

test('on a 1024 px laptop every account\'s buttons show in the table, with no sideways scroll to reach them', async ({ accounts, page }) => {
  await page.setViewportSize({ width: 1024, height: 800 })
  await accounts.open()
  const row = accounts.row('demo')
  await expect(row).toContainText('(you)')
  // The dates were written in full in each cell ("Dec 5, 2026, 8:21:37 AM UTC"): the table then
  // needed 1054 px and cut the row's Disable and Reset password buttons at the card's edge.
  for (const name of ['Disable demo', 'Reset password of demo']) await expect(row.getByRole('button', { name })).toBeInViewport({ ratio: 1 })
  const table = await accounts.table.evaluate((element) => ({ table: element.scrollWidth, shown: element.parentElement?.clientWidth ?? 0 }))
  expect(table.table, `the table is ${table.table} px wide in ${table.shown} px`).toBeLessThanOrEqual(table.shown)
  // A cell's short date says the whole one on hover, as History's do.
  await expect(row.getByRole('cell').filter({ has: page.locator('time') }).first().locator('time')).toHaveAttribute('title', /\d{4}/)
})

test('a double click on "Create account" creates the account once and says it was created, not that the name is taken', async ({ accounts, page }) => {
  const name = uniqueName('dora')
  const posts: string[] = []
  page.on('request', (request) => { if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/accounts') posts.push(request.url()) })
  await accounts.open()
  await accounts.newUsername.fill(name)
  await accounts.newPassword.fill('correct horse battery')
  await accounts.createButton.dblclick()
  await expect(accounts.createForm.getByRole('status')).toContainText(`Created viewer account ${name}`)
  await expect(accounts.row(name)).toBeVisible()
  await expect(accounts.createForm.getByRole('alert')).toHaveCount(0)
  expect(posts).toHaveLength(1)
})

test('a double click on "Change password" changes it once and says so, not that the current password is wrong', async ({ api, shell, signIn, page, consoleErrors }) => {
  // A read of the page's under way as it signs out is answered 401.
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 401/)
  const viewer = { username: uniqueName('pia'), password: 'first password of pia' }
  const next = 'second password of pia'
  expect((await api.post('/api/accounts', { ...viewer, role: 'viewer' })).status()).toBe(201)
  const puts: string[] = []
  page.on('request', (request) => { if (request.method() === 'PUT' && new URL(request.url()).pathname === '/api/session/password') puts.push(request.url()) })
  await page.goto('/#/overview')
  await shell.signOut()
  await signIn.signIn(viewer)
  await shell.openAccount()
  await shell.accountDialog.getByLabel('Current password').fill(viewer.password)
  await shell.accountDialog.getByLabel('New password', { exact: true }).fill(next)
  await shell.accountDialog.getByLabel('New password again').fill(next)
  await shell.accountDialog.getByRole('button', { name: 'Change password' }).dblclick()
  await expect(shell.accountDialog.getByRole('status')).toContainText('Your password is changed')
  await expect(shell.accountDialog.getByRole('alert')).toHaveCount(0)
  expect(puts).toHaveLength(1)
})

test('a double click on "Set password" resets it once: one change in the audit trail', async ({ api, accounts, page }) => {
  const viewer = { username: uniqueName('rex'), password: 'first password of rex' }
  expect((await api.post('/api/accounts', { ...viewer, role: 'viewer' })).status()).toBe(201)
  const patches: string[] = []
  page.on('request', (request) => { if (request.method() === 'PATCH' && new URL(request.url()).pathname.startsWith('/api/accounts/')) patches.push(request.url()) })
  await accounts.open()
  await accounts.openResetPassword(viewer.username)
  await accounts.resetDialog.getByLabel('New password').fill('second password of rex')
  const from = new Date().toISOString()
  await accounts.resetDialog.getByRole('button', { name: 'Set password' }).dblclick()
  await expect(accounts.resetDialog.getByRole('status')).toContainText('was changed')
  const changes = await api.get(`/api/audit?${new URLSearchParams({ action: 'account-update', user: viewer.username, from }).toString()}`)
  expect(changes.status()).toBe(200)
  expect((await changes.json() as { total: number }).total).toBe(1)
  expect(patches).toHaveLength(1)
})
