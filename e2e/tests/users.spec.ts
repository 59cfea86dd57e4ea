import { expect, test } from '../fixtures.ts'

test('an admin looks up a user, moves them to another phone with a chosen profile', async ({ users, devices, saveScreenshot }) => {
  await users.open()
  await users.lookUp('jdoe')

  await expect(users.devicesCard.getByText('SEP001122334455')).toBeVisible()
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

test('an unknown user is reported as such', async ({ users }) => {
  await users.open()
  await users.lookUp('nobody-here')
  await expect(users.devicesCard.getByText('CUCM has no user nobody-here.')).toBeVisible()
})
