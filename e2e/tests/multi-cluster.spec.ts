import type { AuditPage, ClusterList } from '@em-console/shared/schemas'
import { expectAccessible } from '../accessibility.ts'
import { DEMO_APP_PASSWORD, DEMO_APP_USER, expect, test } from '../fixtures.ts'
import { LAB } from '../lab-simulator.ts'

const CLUSTER = { id: 'lab', name: 'Lab' }

test('an admin adds a cluster, looks a device up on each cluster, logs out all on one and finds the cluster in History', async ({ page, lab, api, shell, clusters, devices, users, overview, history, saveScreenshot }) => {
  // Dialogs, checks, look-ups on three clusters and axe passes on a busy two-core machine.
  test.setTimeout(180_000)
  try {
    // Settings → Clusters → Add: a CUCM of its own (the lab simulator), its certificate pasted as PEM, checked before saving.
    await clusters.open()
    await clusters.addButton.click()
    await clusters.fill({ id: CLUSTER.id, name: CLUSTER.name, host: lab.host, port: lab.port, appUser: lab.appUser, appPassword: lab.appPassword })
    await clusters.field('CA certificate (PEM)').fill(lab.caPem)
    await clusters.checkButton.click()
    await expect(clusters.checkResult).toContainText('All checks passed.')
    await clusters.saveButton.click()
    await expect(clusters.dialog).toBeHidden()
    await expect(clusters.row(CLUSTER.id)).toContainText('Reachable')
    await expect(shell.clusterPicker.getByRole('option', { name: CLUSTER.name, exact: true })).toHaveCount(1)

    // All clusters: the lab's phone and HQ's phone of the same name are two rows, each naming its cluster.
    await devices.open()
    await devices.lookUp(LAB.sharedDevice, LAB.occupiedDevice)
    await expect(devices.results.getByRole('columnheader', { name: 'Cluster' })).toBeVisible()
    await expect(devices.row(LAB.sharedDevice)).toHaveCount(2)
    await expect(devices.row(LAB.sharedDevice, 'HQ (demo)')).toContainText('jdoe')
    await expect(devices.row(LAB.sharedDevice, CLUSTER.name)).toContainText(LAB.sharedUser)
    await expect(devices.row(LAB.occupiedDevice, CLUSTER.name)).toContainText(LAB.occupiedUser)
    await saveScreenshot('devices-several-clusters')
    await expectAccessible(page, 'Devices found on several clusters')

    // A user look-up asks every cluster too: the lab's user is on the lab's phone, said so.
    await users.open()
    await users.lookUp(LAB.occupiedUser)
    await expect(users.devicesCard.getByRole('listitem').filter({ hasText: LAB.occupiedDevice })).toContainText(CLUSTER.name)
    await expect(users.profilesCard).toContainText('lab.tech-8865')
    await devices.open()
    await devices.lookUp(LAB.sharedDevice, LAB.occupiedDevice)

    // A row's logout goes to that row's cluster: the lab's guest leaves, HQ's jdoe stays.
    await devices.logOut(LAB.sharedDevice, CLUSTER.name)
    await expect(devices.result(`${LAB.sharedDevice} on ${CLUSTER.name}`)).toContainText('Logged out')
    await expect(devices.row(LAB.sharedDevice, CLUSTER.name)).toContainText('Nobody logged in')
    await expect(devices.row(LAB.sharedDevice, 'HQ (demo)')).toContainText('jdoe')

    // One cluster picked in the header: the look-up asks that cluster only.
    await shell.pickCluster('HQ (demo)')
    await devices.lookUp(LAB.sharedDevice, LAB.occupiedDevice)
    await expect(devices.row(LAB.sharedDevice)).toHaveCount(1)
    await expect(devices.row(LAB.sharedDevice, 'HQ (demo)')).toContainText('jdoe')
    await expect(devices.row(LAB.occupiedDevice)).toContainText('Unknown device')

    // Log out all on the lab only: the dialog names it, asks for the words once, and answers for it.
    await shell.pickCluster(CLUSTER.name)
    await overview.open()
    await expect(overview.connection(CLUSTER.name)).toContainText('EMAPI reachable')
    await expect(overview.connection('HQ (demo)')).toContainText('EMAPI reachable')
    // Demo mode's own simulators say so; a cluster an admin added is a CUCM to EM Console.
    await expect(overview.connection('HQ (demo)').getByText('Simulator', { exact: true })).toBeVisible()
    await expect(overview.connection(CLUSTER.name).getByText('Simulator', { exact: true })).toHaveCount(0)
    await expect(overview.connection(CLUSTER.name).getByText('Simulated CUCM')).toHaveCount(0)
    await overview.logoutAllButton.click()
    await expect(overview.targets.getByRole('listitem')).toHaveText([CLUSTER.name])
    await page.keyboard.press('Escape')
    await shell.pickCluster('All clusters')
    await overview.logoutAllButton.click()
    await expect(overview.dialog.getByRole('status')).toContainText(`Not counted: ${CLUSTER.name} (no inventory).`)
    await page.keyboard.press('Escape')
    await shell.pickCluster(CLUSTER.name)
    await overview.logoutAllButton.click()
    await expect(overview.dialog).toContainText(`Every Extension Mobility user on ${CLUSTER.name} is logged out`)
    // The lab has no AXL inventory: its users are not counted, and the dialog says so rather than a
    // number. Asked once the count is read (All clusters said so above): before, no count shows either.
    await expect(overview.dialog.getByRole('status')).toHaveCount(0)
    await overview.confirmationInput.fill('LOG OUT ALL')
    await overview.confirmButton.click()
    await expect(overview.dialog.getByRole('heading', { level: 2 })).toHaveText('All EM users logged out')
    await expect(overview.clusterResults.getByRole('listitem')).toHaveCount(1)
    await expect(overview.clusterResult(CLUSTER.name)).toContainText('Logged out')
    await expect(overview.dialog.getByText('Logged out every Extension Mobility user on the cluster.', { exact: true })).toHaveCount(1)
    const auditLink = overview.clusterResult(CLUSTER.name).getByRole('link', { name: /Audit #\d+/ })
    const auditId = Number((await auditLink.textContent())?.replace(/\D/g, ''))
    await saveScreenshot('overview-logout-all-one-cluster')
    await auditLink.click()

    // History: the record names the lab; the filter by cluster keeps the lab's rows only.
    await expect(page).toHaveURL(new RegExp(`#/history\\?id=${auditId}`))
    await expect(history.detail.getByText('Log out all', { exact: true })).toBeVisible()
    // By the name the table shows, with the id the CLI and the API take.
    await expect(history.detail.getByRole('definition').filter({ hasText: new RegExp(`^${CLUSTER.name} \\(${CLUSTER.id}\\)$`) })).toHaveCount(1)
    await history.cluster.selectOption({ label: CLUSTER.name })
    // Beside the open record the table is narrow: each row says its cluster under its time.
    await expect(history.table.getByRole('columnheader', { name: /cluster/i })).toBeVisible()
    await expect(history.rows().first()).toContainText('Log out all')
    await expect(history.rows().first().getByText(CLUSTER.name, { exact: true }).filter({ visible: true })).toBeVisible()
    await expect(history.rows().filter({ hasText: 'HQ (demo)' })).toHaveCount(0)
    const filtered = await (await api.get(`/api/audit?cluster=${CLUSTER.id}&limit=100`)).json() as AuditPage
    expect(filtered.items.some((item) => item.id === auditId && item.action === 'logout-all')).toBe(true)
    expect(filtered.items.every((item) => item.cluster === CLUSTER.id)).toBe(true)
    await expectAccessible(page, 'History filtered by cluster')

    // The Overview's activity follows the cluster picked: the lab's own day, with its logout of all
    // users (asked again when the logout-all ended, while the Overview was still open: no request
    // to wait for here, which took the card's 60 s refresh).
    await overview.open()
    await expect(overview.activity).toContainText(new RegExp(`${CLUSTER.name} · .*Last 30 days`))
    await expect(overview.logoutsToday.note).toContainText('of all users')

    // HQ was not touched: jdoe is still on its phone; the lab's phones are free.
    await shell.pickCluster('All clusters')
    await devices.open()
    await devices.lookUp(LAB.sharedDevice, LAB.occupiedDevice)
    await expect(devices.row(LAB.sharedDevice, 'HQ (demo)')).toContainText('jdoe')
    await expect(devices.row(LAB.occupiedDevice, CLUSTER.name)).toContainText('Nobody logged in')
  } finally {
    await api.delete(`/api/clusters/${CLUSTER.id}`)
  }
})

test('with several clusters, logout-all on All names every cluster and asks for the words once', async ({ shell, overview, page }) => {
  await overview.open()
  await expect(shell.clusterPicker).toHaveValue('all')
  await expect(overview.connection('HQ (demo)')).toBeVisible()
  await expect(overview.connection('Branch (demo)')).toBeVisible()
  await overview.logoutAllButton.click()
  await expect(overview.targets.getByRole('listitem')).toHaveText(['HQ (demo)', 'Branch (demo)'])
  await expect(overview.dialog.getByLabel(/^Type/)).toHaveCount(1)
  await expect(overview.dialog).toContainText('Every Extension Mobility user on every cluster is logged out')
  await expect(overview.confirmButton).toBeDisabled()
  await page.keyboard.press('Escape')
  await expect(overview.dialog).toBeHidden()
})

test('a logout-all dialog opened before the list of clusters came acts on every cluster once it has, not on "the cluster" the server refuses (400)', async ({ overview, page }) => {
  let release = (): void => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  await page.route('**/api/clusters', async (route) => { await held; await route.continue() })
  await overview.open()
  await overview.logoutAllButton.click()
  await overview.confirmationInput.fill('LOG OUT ALL')
  // Which clusters it acts on is not known yet: nothing can be sent.
  await expect(overview.confirmButton).toBeDisabled()
  release()
  await expect(overview.targets.getByRole('listitem')).toHaveText(['HQ (demo)', 'Branch (demo)'])
  await overview.confirmButton.click()
  // Both clusters asked, as the header's "All clusters" says.
  await expect(overview.clusterResults.getByRole('listitem')).toHaveCount(2)
  await expect(overview.dialog).not.toContainText('Invalid field')
})

test('a logout-all of every cluster where one cluster did not answer says "No answer (may have happened)" for it, as History does, not "Failed"', async ({ overview, simulator, page }) => {
  // HQ's connection drops once the logoutAll is read: sent, no answer.
  await simulator.setFault('reset-after')
  try {
    await overview.open()
    await overview.logoutAllButton.click()
    await overview.dialog.getByLabel(/^Type/).fill('LOG OUT ALL')
    await overview.confirmButton.click()
    await expect(overview.clusterResult('HQ (demo)')).toContainText('No answer (may have happened)')
    await expect(overview.clusterResult('HQ (demo)')).not.toContainText('Failed')
    // What to do, as a logout-all of HQ alone says it.
    await expect(overview.clusterResult('HQ (demo)')).toContainText('What to do: CUCM closed the connection without answering')
    await expect(overview.clusterResult('Branch (demo)')).toContainText('Logged out')
    await expect(overview.clusterResult('Branch (demo)')).not.toContainText('What to do')
    await expect(overview.dialog).toContainText('no answer from HQ (demo) (CUCM may have done it: look a device up to be sure)')
    await page.keyboard.press('Escape')
  } finally {
    await simulator.reset()
  }
})

test('a schedule of one cluster with its time zone left empty is previewed in that cluster\'s zone, not the server\'s', async ({ schedules, api }) => {
  const listed = (await (await api.get('/api/clusters')).json() as ClusterList).clusters
  const zoneOf = (id: string): string => listed.find((c) => c.id === id)?.effectiveTimezone ?? ''
  expect(zoneOf('branch')).not.toBe(zoneOf('hq'))
  await schedules.open()
  await schedules.cron.fill('0 22 * * 1-5')
  await expect(schedules.createForm.getByText(`Times in ${zoneOf('hq')}`)).toBeVisible()
  await schedules.createForm.getByRole('checkbox', { name: 'Branch (demo)' }).check()
  await expect(schedules.createForm.getByText(`Times in ${zoneOf('branch')}`)).toBeVisible()
  await expect(schedules.createForm.getByText(`here ${zoneOf('branch')}.`)).toBeVisible()
})

test('the logout-all dialog warns of a cluster not reachable at its last check, and counts the one cluster picked', async ({ overview, simulator, shell, page, consoleErrors }) => {
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 5\d\d/)
  const hq = overview.connection('HQ (demo)')
  const checkUntil = async (text: string): Promise<void> => {
    // The server keeps its health check a few seconds: check again until it sees the change.
    await expect(async () => {
      await hq.getByRole('button', { name: 'Check now' }).click()
      await expect(hq.getByText(text, { exact: true })).toBeVisible({ timeout: 1000 })
    }).toPass({ timeout: 15_000, intervals: [1000] })
  }
  await overview.open()
  await simulator.setFault('http-503')
  try {
    await checkUntil('EMAPI not reachable')
    await overview.logoutAllButton.click()
    await expect(overview.dialog.getByRole('note')).toHaveText('Not reachable at the last check: HQ (demo). The others go on if it fails.')
    await page.keyboard.press('Escape')
  } finally {
    await simulator.reset()
  }
  await checkUntil('EMAPI reachable')
  await overview.logoutAllButton.click()
  await expect(overview.dialog.getByRole('note')).toHaveCount(0)
  await page.keyboard.press('Escape')
  // One cluster picked: that cluster's own count, from its inventory.
  await shell.clusterPicker.selectOption({ label: 'Branch (demo)' })
  await overview.logoutAllButton.click()
  await expect(overview.dialog.getByRole('status')).toContainText(/^This logs out \d+ users? on \d+ phones? \(inventory as of/)
  await page.keyboard.press('Escape')
  await shell.clusterPicker.selectOption('all')
})

test('a cluster disabled since keeps its name in History: beside the one cluster left, its records still say whose they are, and it can be filtered on', async ({ page, api, history }) => {
  // A look-up on the branch: its record names that cluster.
  const device = 'SEP0000000D15A'
  expect((await api.get(`/api/devices/${device}?cluster=branch`)).ok()).toBe(true)
  // The branch disabled (the demo's clusters are read-only, so the list says it as the server does
  // of a disabled cluster): HQ is the only cluster left to use.
  await page.route('**/api/clusters', async (route) => {
    const list = await (await route.fetch()).json() as ClusterList
    await route.fulfill({ json: { clusters: list.clusters.map((c) => c.id === 'branch' ? { ...c, enabled: false } : c) } })
  })
  await history.open()
  const row = history.rows().filter({ hasText: device })
  await expect(row).toHaveCount(1)
  // Not read as HQ's: the row names the branch, in a Cluster column.
  await expect(history.table.getByRole('columnheader', { name: 'Cluster' })).toBeVisible()
  await expect(row).toContainText('Branch (demo)')
  await expect(history.cluster.getByRole('option', { name: 'Branch (demo)' })).toHaveCount(1)
  const branchRecords = (await (await api.get('/api/audit?cluster=branch&limit=1')).json() as AuditPage).total
  await history.cluster.selectOption({ label: 'Branch (demo)' })
  await history.applyButton.click()
  await expect(page).toHaveURL(/cluster=branch/)
  // The branch's page, not the whole trail's before it (which has the row too): its own count.
  await expect(page.getByRole('status').filter({ hasText: /these filters$/ })).toHaveText(new RegExp(`^${branchRecords} records? match(es)? these filters$`))
  await expect(row).toHaveCount(1)
})

test('a schedule whose cluster was disabled since shows that cluster ticked in its form, so it can be unticked and the schedule saved', async ({ api, schedules }) => {
  const name = 'Night of a disabled cluster'
  expect((await api.post('/api/clusters', { id: 'apac', name: 'APAC', host: '127.0.0.1', port: 9, appUser: 'nobody', appPassword: 'not-a-password', timezone: 'Asia/Tokyo' })).ok()).toBe(true)
  try {
    expect((await api.post('/api/schedules', { name, cron: '0 2 * * *', enabled: false, action: 'logout-all', clusters: ['apac'] })).ok()).toBe(true)
    expect((await api.patch('/api/clusters/apac', { enabled: false })).ok()).toBe(true)
    await schedules.open()
    await expect(schedules.row(name)).toContainText('Cluster APAC is disabled')
    // Its clusters by name, as the rest of the page says them, the disabled one too.
    await expect(schedules.row(name)).toContainText('On APAC')
    await schedules.row(name).getByRole('button', { name: `Edit ${name}` }).click()
    // Not an empty list that says "every enabled cluster" while the schedule still names APAC.
    const disabled = schedules.editDialog.getByRole('checkbox', { name: 'APAC (not usable now)' })
    await expect(disabled).toBeChecked()
    await disabled.uncheck()
    await schedules.editDialog.getByRole('checkbox', { name: 'Branch (demo)' }).check()
    await schedules.editDialog.getByRole('button', { name: 'Save changes' }).click()
    await expect(schedules.editDialog).toBeHidden()
    await expect(schedules.row(name)).toContainText('On Branch (demo)')
    await expect(schedules.row(name)).not.toContainText('Needs attention')
  } finally {
    const listed = await (await api.get('/api/schedules')).json() as { schedules: Array<{ id: number, name: string }> }
    for (const schedule of listed.schedules.filter((s) => s.name === name)) await api.delete(`/api/schedules/${schedule.id}`)
    await api.delete('/api/clusters/apac')
  }
})

test('the cluster chosen in the header, disabled since, is named above the page that shows every cluster instead; enabled again, it is chosen again', async ({ page, api, shell }) => {
  const listed = await (await api.get('/api/clusters')).json() as ClusterList
  const branch = listed.clusters.find((c) => c.id === 'branch')
  const id = 'fallback'
  const created = await api.post('/api/clusters', { id, name: 'Fallback', host: '127.0.0.1', port: branch?.port ?? 0, appUser: DEMO_APP_USER, appPassword: DEMO_APP_PASSWORD, caPem: branch?.caPem ?? null })
  expect(created.status(), await created.text()).toBe(201)
  try {
    await page.goto('/#/sessions')
    await shell.clusterPicker.selectOption({ label: 'Fallback' })
    await expect(page.getByRole('status').filter({ hasText: 'the cluster chosen in the header' })).toHaveCount(0)
    expect((await api.patch(`/api/clusters/${id}`, { enabled: false })).status()).toBe(200)
    await page.reload()
    // The header said "All clusters" with no word of why: an admin could take every cluster's sessions for the one chosen.
    await expect(shell.clusterPicker).toHaveValue('all')
    await expect(page.getByRole('status').filter({ hasText: 'the cluster chosen in the header' })).toHaveText('Fallback, the cluster chosen in the header, is disabled or cannot be used now: every cluster is shown. Choose another in the header, or see Settings › Clusters.')
    expect((await api.patch(`/api/clusters/${id}`, { enabled: true })).status()).toBe(200)
    await page.reload()
    await expect(shell.clusterPicker).toHaveValue(id)
    await expect(page.getByRole('status').filter({ hasText: 'the cluster chosen in the header' })).toHaveCount(0)
  } finally {
    await shell.clusterPicker.selectOption('all').catch(() => {})
    expect((await api.delete(`/api/clusters/${id}`)).status()).toBe(204)
  }
})
