import { expect, test } from '../fixtures.ts'

test('an admin looks up a user, moves them to another phone with a chosen profile', async ({ users, devices, saveScreenshot }) => {
  await users.open()
  await users.lookUp('jdoe')

  await expect(users.devicesCard.getByText('SEP001122334455', { exact: true })).toBeVisible()
  await expect(users.profilesCard.getByText('jdoe-EM-8865')).toBeVisible()
  await expect(users.profilesCard.getByText('jdoe-EM-7841')).toBeVisible()
  await expect(users.profilesCard.getByText('Default')).toBeVisible()
  await saveScreenshot('users')

  // Multiple logins are not allowed by default, so jdoe leaves the old phone first.
  await users.devicesCard.getByRole('button', { name: 'Log out everywhere' }).click()
  await users.devicesCard.getByRole('button', { name: 'Confirm' }).click()
  await expect(users.devicesCard.getByRole('list', { name: 'Logout results' })).toContainText('SEP001122334455')
  await expect(users.devicesCard.getByText('jdoe is not logged in on any device.')).toBeVisible()

  await users.logIn('jdoe', { device: 'SEP00AABBCCDDEE', profile: 'jdoe-EM-7841' })
  const form = users.loginForm('jdoe')
  await expect(form.getByText('Logged in', { exact: true })).toBeVisible()
  await expect(users.devicesCard.getByRole('list', { name: 'Devices jdoe is logged in on' })).toContainText('SEP00AABBCCDDEE')
  await saveScreenshot('users-after-login')

  await devices.open()
  await devices.lookUp('SEP00AABBCCDDEE')
  await expect(devices.row('SEP00AABBCCDDEE')).toContainText('jdoe')
})

test('a login\'s minutes out of range: the field says why, to a screen reader too, and Log in waits', async ({ users }) => {
  await users.open()
  await users.lookUp('jdoe')
  const form = users.loginForm('jdoe')
  const minutes = form.getByLabel('Minutes until automatic logout')
  await minutes.fill('0')
  // The error is announced as it appears, and read with the field when it has the focus again.
  await expect(form.getByRole('alert')).toHaveText('Duration: whole minutes from 1 to 10080 (one week).')
  await expect(minutes).toHaveAttribute('aria-invalid', 'true')
  await expect(minutes).toHaveAccessibleDescription('Duration: whole minutes from 1 to 10080 (one week).')
  await form.getByLabel('Device', { exact: true }).fill('SEP00AABBCCDDEE')
  await expect(form.getByRole('button', { name: 'Log in' })).toBeDisabled()
  await minutes.fill('60')
  await expect(form.getByRole('alert')).toHaveCount(0)
  await expect(minutes).toHaveAccessibleDescription('')
})

test('a user typed in another case than CUCM spells them (ÇAĞLA.ÖZTÜRK) gets their session\'s facts and history, as çağla.öztürk', async ({ users, page }) => {
  // CUCM compares user IDs ignoring case; the inventory's filters fold the case of ASCII letters only.
  await users.open()
  await users.lookUp('ÇAĞLA.ÖZTÜRK')
  const devices = users.devicesCard.getByRole('list', { name: /^Devices .* is logged in on$/ })
  await expect(devices.getByRole('listitem')).toHaveCount(1)
  await expect(devices).toContainText(/since .* · profile /)
  const history = page.getByRole('region', { name: 'Session history of çağla.öztürk' })
  await expect(history).toBeVisible()
  await expect(users.loginForm('çağla.öztürk')).toHaveCount(1)
})

test('an unknown user is reported as such, with no history or login form for them', async ({ users, page }) => {
  await users.open()
  await users.lookUp('nobody-here')
  await expect(users.devicesCard.getByText('CUCM has no user nobody-here.')).toBeVisible()
  // After the look-up the focus is still on its button, not thrown to the page's top.
  await expect(users.lookUpButton).toBeFocused()
  await expect(users.loginForm('nobody-here')).toHaveCount(0)
  await expect(page.getByRole('region', { name: /^Session history of / })).toHaveCount(0)
})

test('a second and third look-up replace the first, and Back returns to each earlier one', async ({ users, page }) => {
  await users.open()
  await users.userInput.fill('jdoe')
  await users.userInput.press('Enter')
  await expect(users.devicesCard.getByText('SEP001122334455', { exact: true })).toBeVisible()
  await expect(page).toHaveURL(/#\/users\?user=jdoe$/)

  await users.userInput.fill('asmith')
  await users.userInput.press('Enter')
  await expect(page).toHaveURL(/#\/users\?user=asmith$/)
  await expect(page.getByRole('region', { name: 'Look up a user' })).toHaveCount(1)
  await expect(users.devicesCard).toHaveCount(1)
  await expect(users.devicesCard).not.toContainText('SEP001122334455')
  await expect(users.profilesCard).toContainText('asmith')

  await users.userInput.fill('nobody-here')
  await users.userInput.press('Enter')
  await expect(page).toHaveURL(/#\/users\?user=nobody-here$/)
  await expect(users.devicesCard.getByText('CUCM has no user nobody-here.')).toBeVisible()

  // Each look-up is a history entry.
  await page.goBack()
  await expect(page).toHaveURL(/#\/users\?user=asmith$/)
  await expect(users.userInput).toHaveValue('asmith')
  await expect(page.getByRole('region', { name: 'Look up a user' })).toHaveCount(1)
  await page.goBack()
  await expect(page).toHaveURL(/#\/users\?user=jdoe$/)
  await expect(users.devicesCard.getByText('SEP001122334455', { exact: true })).toBeVisible()
  await expect(users.loginForm('jdoe')).toHaveCount(1)

  // The remaining card's controls work: jdoe leaves the phone.
  await users.devicesCard.getByRole('button', { name: 'Log out everywhere' }).click()
  await users.devicesCard.getByRole('button', { name: 'Confirm' }).click()
  await expect(users.devicesCard.getByText('jdoe is not logged in on any device.')).toBeVisible()
})

test('a look-up refused at the edge leaves no answer of the one before it to read as its answer', async ({ users, page }) => {
  await users.open()
  await users.lookUp('tina khan')
  await expect(users.devicesCard.getByText('CUCM has no user tina khan.')).toBeVisible()
  const tooLong = 'x'.repeat(129)
  await users.lookUp(tooLong)
  await expect(page.getByRole('region', { name: 'Look up a user' }).getByRole('alert')).toContainText('This one has 129 characters, 1 too many.')
  await expect(page.getByText('CUCM has no user')).toHaveCount(0)
  await expect(users.devicesCard).toHaveCount(0)

  // A user with devices, history and a login form: none of it stays under a refusal either.
  await users.lookUp('jdoe')
  await expect(users.devicesCard.getByText('SEP001122334455', { exact: true })).toBeVisible()
  await users.lookUp(tooLong)
  await expect(page.getByRole('region', { name: 'Look up a user' }).getByRole('alert')).toContainText('1 too many')
  await expect(users.userInput).toHaveValue(tooLong)
  await expect(users.devicesCard).toHaveCount(0)
  await expect(users.profilesCard).toHaveCount(0)
  await expect(users.loginForm('jdoe')).toHaveCount(0)
  await expect(page.getByRole('region', { name: 'Session history of jdoe' })).toHaveCount(0)
  // Back returns to jdoe's answer, the field showing whom it is of.
  await page.goBack()
  await expect(users.devicesCard.getByText('SEP001122334455', { exact: true })).toBeVisible()
  await expect(users.userInput).toHaveValue('jdoe')
  await expect(page.getByRole('region', { name: 'Look up a user' }).getByRole('alert')).toHaveCount(0)
})

test('a user ID longer than CUCM allows is named as such before anything is sent', async ({ users, page }) => {
  await users.open()
  let asked = 0
  page.on('request', (request) => { if (request.url().includes('/api/users/')) asked++ })
  await users.userInput.fill('x'.repeat(300))
  await users.lookUpButton.click()
  const error = page.getByRole('region', { name: 'Look up a user' }).getByRole('alert')
  await expect(error).toHaveText('User ID: up to 128 characters, without control characters. This one has 300 characters, 172 too many.')
  await expect(users.userInput).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByText(/HTTP 41\d/)).toHaveCount(0)
  expect(asked).toBe(0)
  // A page of user text never widens the page.
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true)

  // Spaces only: nothing to look up.
  await users.userInput.fill('    ')
  await expect(users.lookUpButton).toBeDisabled()
})
