import { expect, test } from '../fixtures.ts'

test('when CUCM fails, the admin reads what happened and what to do', async ({ devices, overview, simulator, consoleErrors, saveScreenshot }) => {
  // The browser logs every failed request; these failures are the point of this test.
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 5\d\d/)

  await devices.open()
  await devices.lookUp('SEP001122334455')
  const row = devices.row('SEP001122334455')
  await expect(row).toContainText('jdoe')

  await simulator.setFault('http-503')
  await row.getByRole('button', { name: 'Log out SEP001122334455' }).click()
  await row.getByRole('button', { name: 'Confirm logout' }).click()

  const error = devices.result('SEP001122334455').getByRole('alert')
  await expect(error).toContainText('Could not log out SEP001122334455')
  await expect(error).toContainText('503')
  await expect(error).toContainText('Service Unavailable')
  // Transport errors say what to do too, not only what happened.
  await expect(error.getByText('What to do:')).toBeVisible()
  await expect(error).toContainText(/What to do: \S+/)
  await expect(error.getByRole('link', { name: /View audit record #\d+/ })).toBeVisible()
  await expect(error).not.toContainText(/at \w+ \(|stack|undefined|\[object/i)
  await saveScreenshot('devices-emapi-error')

  // The server caches its health check for a few seconds: check again until it sees the change.
  await overview.open()
  await expect(async () => {
    await overview.connectionCard.getByRole('button', { name: 'Check now' }).click()
    await expect(overview.connectionCard.getByText('EMAPI not reachable')).toBeVisible({ timeout: 1000 })
  }).toPass({ timeout: 15_000, intervals: [1000] })
  await saveScreenshot('overview-emapi-down')

  await simulator.setFault('none')
  await expect(async () => {
    await overview.connectionCard.getByRole('button', { name: 'Check now' }).click()
    await expect(overview.connectionCard.getByText('EMAPI reachable')).toBeVisible({ timeout: 1000 })
  }).toPass({ timeout: 15_000, intervals: [1000] })
})

test('a refused login names the EMAPI code, its meaning and the way out', async ({ devices, consoleErrors, saveScreenshot }) => {
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 4\d\d/)

  await devices.open()
  await devices.lookUp('SEP001122334455')
  await expect(devices.row('SEP001122334455')).toContainText('jdoe')

  const form = devices.loginForm
  await form.getByLabel('Device', { exact: true }).fill('SEP001122334455')
  await form.getByLabel('User ID').fill('asmith')
  await form.getByRole('button', { name: 'Log in' }).click()

  const error = form.getByRole('alert')
  await expect(error).toContainText('Login failed')
  await expect(error).toContainText('EMAPI code 18')
  await expect(error.getByText('What to do:')).toBeVisible()
  await expect(error).toContainText(/force/i)
  await expect(error.getByRole('link', { name: /View audit record #\d+/ })).toBeVisible()
  await saveScreenshot('devices-login-refused')

  // Force replaces jdoe with asmith.
  await form.getByLabel('Force: log out whoever is on the device first').check()
  await form.getByRole('button', { name: 'Log in' }).click()
  await expect(form.getByText('Logged in', { exact: true })).toBeVisible()
  await expect(devices.row('SEP001122334455')).toContainText('asmith')
})

test('with one cluster down, a look-up shows what the others answered and names the one that could not be asked', async ({ devices, users, simulator, consoleErrors }) => {
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 5\d\d/)
  await simulator.setFault('http-503')
  try {
    // The HQ simulator answers 503; the branch's phone and user are still shown.
    await devices.open()
    await devices.lookUp('SEPB00000000001', 'SEP001122334455')
    await expect(devices.row('SEPB00000000001')).toContainText('maria.lopez')
    const notice = devices.page.getByRole('region', { name: 'Look up devices' }).getByRole('alert')
    await expect(notice).toContainText('1 cluster could not be asked: shown are the answers of the others. A device shown as unknown may be on it.')
    await expect(notice).toContainText('Cluster HQ (demo): CUCM answered HTTP 503')
    await expect(notice.getByText('What to do:')).toBeVisible()
    await expect(devices.row('SEP001122334455')).toContainText('Not on the clusters that answered: it may be on one that could not be asked.')

    await users.open()
    await users.lookUp('maria.lopez')
    await expect(users.devicesCard.getByRole('listitem').filter({ hasText: 'SEPB00000000001' })).toBeVisible()
    await expect(users.devicesCard.getByRole('alert')).toContainText('Cluster HQ (demo): CUCM answered HTTP 503')
  } finally {
    await simulator.setFault('none')
  }
})

test('a logout whose answer never came back re-reads the devices: it may have happened', async ({ devices, page, consoleErrors }) => {
  consoleErrors.allow(/Failed to load resource/)
  await devices.open()
  await devices.lookUp('SEP001122334455')
  await expect(devices.row('SEP001122334455', 'HQ (demo)')).toContainText('jdoe')
  await page.route('**/api/devices/*/logout*', async (route) => { await route.abort('connectionreset') })
  const reread = page.waitForRequest((request) => request.url().includes('/api/devices/status'), { timeout: 10_000 })
  await devices.logOut('SEP001122334455', 'HQ (demo)')
  await reread
})

test('a run of users with one cluster down offers no "Run the rest" for a user it could not find there: nothing could be sent again', async ({ api, runs, simulator, page, consoleErrors }) => {
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 5\d\d/)
  // HQ answers 503: a user the branch does not know may be on HQ, and is not run.
  await simulator.setFault('http-503')
  try {
    const started = await api.post('/api/runs', { action: 'logout', users: ['nobody-e2e-rest'], verifyAfterSeconds: 0 })
    expect(started.ok(), await started.text()).toBe(true)
    const { id } = await started.json() as { id: string }
    await page.goto(`/#/runs/${id}`)
    await expect(runs.finishedItems.getByRole('row').filter({ hasText: 'nobody-e2e-rest' })).toContainText('may be on one that could not be asked')
    await expect(runs.runRestButton).toHaveCount(0)
  } finally {
    await simulator.setFault('none')
  }
})

test('a bulk run whose start was answered by a dropped connection says it may have started, and lists the run it started', async ({ runs, page, api, consoleErrors }) => {
  consoleErrors.allow(/Failed to load resource/)
  await runs.open()
  await runs.pasteList.fill('SEP1AC049ACC3C3 SEP320079B4535B')
  await runs.previewButton.click()
  await expect(runs.preview).toBeVisible()
  // The server takes the run and starts it; its answer is lost on the way back.
  await page.route('**/api/runs', async (route) => {
    if (route.request().method() !== 'POST') return await route.fallback()
    await route.fetch()
    await route.abort('connectionreset')
  })
  await runs.startButton.click()
  const notice = runs.newRun.getByRole('alert').filter({ hasText: 'Could not start the run' })
  await expect(notice).toContainText('the change may have been made')
  await expect(notice).not.toContainText('then try again')
  const started = (await (await api.get('/api/runs?limit=1')).json() as { runs: Array<{ id: string }> }).runs[0]
  expect(started).toBeDefined()
  await expect(runs.recentRun(started?.id ?? '')).toBeVisible()
})
