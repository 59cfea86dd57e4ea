import type { Cluster, ClusterList } from '@em-console/shared/schemas'
import { expectAccessible } from '../accessibility.ts'
import { DEMO_APP_PASSWORD, DEMO_APP_USER, expect, test } from '../fixtures.ts'
import { makeChosenFilesUnreadable, NOT_READABLE } from '../unreadable-files.ts'

test('an admin adds a cluster from the dashboard, checks it first, sees its health, then deletes it', async ({ page, clusters, api, saveScreenshot }) => {
  // Several dialogs, checks and axe passes on a busy two-core machine.
  test.setTimeout(120_000)
  // The new cluster points at the demo's branch simulator: its port and (public) certificate are listed.
  const listed = await (await api.get('/api/clusters')).json() as ClusterList
  const branch = listed.clusters.find((c) => c.id === 'branch')
  expect(branch?.caPem).toBeTruthy()
  const target = { id: 'branch-two', name: 'Branch, second view', host: '127.0.0.1', port: branch?.port ?? 0, appUser: DEMO_APP_USER, appPassword: DEMO_APP_PASSWORD }
  try {
    await clusters.open()
    // The demo's two clusters, its built-in simulators (no CUCM_HOST: not the environment's), both
    // answering; the picker is in the header.
    await expect(clusters.card).toContainText('The demo\'s clusters are EM Console\'s built-in CUCM simulators')
    await expect(clusters.card).not.toContainText('comes from the server\'s environment')
    await expect(clusters.row('hq')).toContainText('Built-in demo')
    await expect(clusters.row('branch')).toContainText('Built-in demo')
    await expect(clusters.row('branch')).toContainText('Reachable')
    await expect(clusters.row('hq').getByRole('button', { name: 'Edit hq' })).toHaveCount(0)
    await expect(clusters.picker).toBeVisible()
    // The environment's cluster cannot be edited here, but its connection can be checked.
    await clusters.row('hq').getByRole('button', { name: 'Check connection of hq' }).click()
    const hqCheck = page.getByRole('row', { name: 'Result for hq' }).getByRole('status', { name: 'Connection check' })
    await expect(hqCheck).toContainText('All checks passed.')
    await expect(hqCheck).toContainText(/Application user accepted/)

    await clusters.addButton.click()
    await expect(clusters.field('Id')).toBeFocused()
    // The cap's rule as README and the API document say it (CUCM allows that many at once).
    await expect(clusters.field('Maximum concurrency')).toHaveAccessibleDescription('Logins and logouts in flight on this cluster: at most CUCM\'s "Maximum Concurrent Requests" (5 by default, 3 on older releases).')
    await clusters.fill({ ...target, appPassword: 'not-the-password' })
    await clusters.uploadCa(branch?.caPem ?? '')
    await expect(clusters.field('CA certificate (PEM)')).toHaveValue(/^-----BEGIN CERTIFICATE-----/)
    await expectAccessible(page, 'The add-cluster dialog')

    // A wrong password: the check says which step failed and what to do; nothing is saved.
    await clusters.checkButton.click()
    await expect(clusters.checkResult).toContainText('A check failed')
    await expect(clusters.checkResult).toContainText(/Application user accepted: EMAPI error 3/)
    await expect(clusters.checkResult.getByText(/What to do:/).first()).toBeVisible()
    await expectAccessible(page, 'The add-cluster dialog with a failed check')

    await clusters.field('Application password').fill(target.appPassword)
    await clusters.checkButton.click()
    await expect(clusters.checkResult).toContainText('All checks passed.')
    await saveScreenshot('cluster-dialog-checked')

    await clusters.saveButton.click()
    await expect(clusters.dialog).toBeHidden()
    await expect(clusters.done).toContainText('Added cluster Branch, second view (branch-two).')
    await expect(clusters.row('branch-two')).toContainText('Reachable')
    await expect(clusters.row('branch-two')).toContainText('Dashboard')
    await expect(clusters.picker.getByRole('option', { name: target.name })).toHaveCount(1)
    await saveScreenshot('settings-clusters')

    // Edit: the password field is empty (write-only); a rename keeps it.
    await clusters.row('branch-two').getByRole('button', { name: 'Edit branch-two' }).click()
    // The dialogs name the cluster as History and the server's words do: by its display name.
    await expect(clusters.dialog).toHaveAccessibleName('Edit cluster Branch, second view')
    await expect(clusters.field('Application password')).toHaveValue('')
    // A saved password is sent only where it was saved for: another port needs it again.
    const port = await clusters.field('Port').inputValue()
    await clusters.field('Port').fill('8444')
    await clusters.saveButton.click()
    await expect(clusters.dialog.getByText('Application password: enter it again to change the host, port')).toBeVisible()
    await clusters.field('Port').fill(port)
    await clusters.field('Name').fill('Branch annex')
    await expect(clusters.field('Multiple Login Behavior')).toHaveValue('not-allowed')
    await clusters.field('Multiple Login Behavior').selectOption({ label: 'Auto logout' })
    await clusters.saveButton.click()
    await expect(clusters.row('branch-two')).toContainText('Branch annex')
    const edited = await (await api.get(`/api/clusters/${target.id}`)).json() as Cluster
    expect(edited.multipleLogins).toBe('auto-logout')
    await expect(clusters.row('branch-two')).toContainText('Reachable')
    await expectAccessible(page, 'Settings with clusters')

    // Disable, then delete with the typed id.
    await clusters.row('branch-two').getByRole('button', { name: 'Disable branch-two' }).click()
    await page.getByRole('group', { name: 'Confirm disabling branch-two' }).getByRole('button', { name: 'Disable' }).click()
    await expect(clusters.row('branch-two')).toContainText('Disabled')
    await clusters.row('branch-two').getByRole('button', { name: 'Delete branch-two' }).click()
    await expect(clusters.deleteDialog).toHaveAccessibleName('Delete cluster Branch annex')
    await expect(clusters.deleteDialog.getByRole('button', { name: 'Delete cluster' })).toBeDisabled()
    await clusters.deleteDialog.getByLabel(/^Type/).fill('branch-two')
    await clusters.deleteDialog.getByRole('button', { name: 'Delete cluster' }).click()
    await expect(clusters.row('branch-two')).toHaveCount(0)
    await expect(clusters.done).toContainText('Deleted cluster Branch annex. Its history stays.')
  } finally {
    await api.delete(`/api/clusters/${target.id}`)
  }
})

test('a double click on "Add cluster" or "Delete cluster" does it once and says it was done, not that it failed', async ({ page, clusters, api }) => {
  const listed = await (await api.get('/api/clusters')).json() as ClusterList
  const branch = listed.clusters.find((c) => c.id === 'branch')
  const target = { id: 'branch-twice', name: 'Branch, added twice', host: '127.0.0.1', port: branch?.port ?? 0, appUser: DEMO_APP_USER, appPassword: DEMO_APP_PASSWORD }
  const sent: string[] = []
  page.on('request', (request) => { if (['POST', 'DELETE'].includes(request.method()) && new URL(request.url()).pathname.startsWith('/api/clusters')) sent.push(request.method()) })
  try {
    await clusters.open()
    await clusters.addButton.click()
    await clusters.fill(target)
    await clusters.uploadCa(branch?.caPem ?? '')
    await clusters.saveButton.dblclick()
    await expect(clusters.dialog).toBeHidden()
    await expect(clusters.done).toContainText('Added cluster Branch, added twice (branch-twice).')

    await clusters.row('branch-twice').getByRole('button', { name: 'Delete branch-twice' }).click()
    await clusters.deleteDialog.getByLabel(/^Type/).fill('branch-twice')
    await clusters.deleteDialog.getByRole('button', { name: 'Delete cluster' }).dblclick()
    await expect(clusters.deleteDialog).toBeHidden()
    await expect(clusters.done).toContainText('Deleted cluster Branch, added twice. Its history stays.')
    expect(sent).toEqual(['POST', 'DELETE'])
  } finally {
    await api.delete(`/api/clusters/${target.id}`)
  }
})

test('the cluster picker is remembered per browser', async ({ page, clusters }) => {
  await clusters.open()
  await clusters.picker.selectOption({ label: 'Branch (demo)' })
  await page.reload()
  await expect(clusters.picker).toHaveValue('branch')
  await clusters.picker.selectOption({ label: 'All clusters' })
  await page.reload()
  await expect(clusters.picker).toHaveValue('all')
})

test('a cluster whose application password is wrong is shown as refusing EM Console, not as unreachable', async ({ clusters, api, overview, shell }) => {
  const listed = await (await api.get('/api/clusters')).json() as ClusterList
  const branch = listed.clusters.find((c) => c.id === 'branch')
  const created = await api.post('/api/clusters', { id: 'wrong-password', name: 'Wrong password', host: '127.0.0.1', port: branch?.port ?? 0, appUser: DEMO_APP_USER, appPassword: 'not-the-password', caPem: branch?.caPem ?? '' })
  expect(created.status()).toBe(201)
  try {
    await clusters.open()
    await expect(clusters.row('wrong-password')).toContainText('Refuses EM Console')
    await expect(clusters.row('wrong-password')).toContainText('EMAPI error 3')
    await shell.goTo('Overview')
    await expect(overview.connection('Wrong password')).toContainText('EMAPI refuses EM Console')
    // What to do, in this cluster's own fields: the admin learns which setting to fix.
    await expect(overview.connection('Wrong password')).toContainText('What to do: Check the cluster\'s application user and password (Settings → Clusters, Edit)')
  } finally {
    await api.delete('/api/clusters/wrong-password')
  }
})

test('a cluster whose CUCM has not answered yet is added at once and reads "Checking…" until it answers, on every screen; so does it after an edit', async ({ page, clusters, api, simulator, overview, shell }) => {
  const listed = await (await api.get('/api/clusters')).json() as ClusterList
  const hq = listed.clusters.find((c) => c.id === 'hq')
  const target = { id: 'hq-silent', name: 'HQ, silent', host: '127.0.0.1', port: hq?.port ?? 0, appUser: DEMO_APP_USER, appPassword: DEMO_APP_PASSWORD }
  // HQ's CUCM holds its answers: the new cluster's first probe waits (for its time limit, 15 s, if never let go).
  await simulator.hold('all')
  try {
    await clusters.open()
    await clusters.addButton.click()
    await clusters.fill(target)
    await clusters.uploadCa(hq?.caPem ?? '')
    await clusters.saveButton.click()
    // Asked after 2 s, the server says "checking": the dialog used to stay open for the time limit.
    await expect(clusters.done).toContainText('Added cluster HQ, silent (hq-silent).')
    await expect(clusters.row('hq-silent')).toContainText('Checking…')

    await shell.goTo('Overview')
    const card = overview.connection('HQ, silent')
    // Said to a screen reader as it changes, with the cluster's name (several cards say it).
    const said = card.getByRole('status').first()
    await expect(said).toHaveText('HQ, silent: Checking EMAPI…')
    await expect(card).toContainText('Waiting for CUCM\'s first answer')
    // Neither green nor red while it checks.
    await expect(card.locator('.status-dot')).toHaveClass('status-dot')
    // Not known to be down: the logout-all dialog acts on it, saying it is not checked yet, not that it is unreachable.
    await overview.logoutAllButton.click()
    await expect(overview.targets.getByRole('listitem').filter({ hasText: 'HQ, silent' })).toHaveCount(1)
    await expect(overview.dialog.getByRole('note').filter({ hasText: 'HQ, silent' })).toHaveText('Not checked yet (CUCM has not answered its first check): HQ, silent. The others go on if it fails.')
    await page.keyboard.press('Escape')
    // The page asks again every 2 s while a cluster is checking: the answer shows without a reload.
    await simulator.hold('none')
    await expect(said).toHaveText('HQ, silent: EMAPI reachable')
    // Answered, it asks every half minute again: no ask within 3 s (every 2 s, each dashboard
    // would set every cluster probing whenever the server's 5-s cache ran out).
    const askedAgain = await page.waitForRequest((request) => new URL(request.url()).pathname === '/api/health', { timeout: 3000 }).then(() => true, () => false)
    expect(askedAgain).toBe(false)

    // An edit is a new connection, so a new first probe: "Checking…" again, and the list (polled
    // every 2 s while a cluster checks) shows the answer without a reload.
    await simulator.hold('all')
    await clusters.open()
    await clusters.row('hq-silent').getByRole('button', { name: 'Edit hq-silent' }).click()
    await clusters.field('Name').fill('HQ, silent again')
    await clusters.saveButton.click()
    await expect(clusters.done).toContainText('Saved cluster HQ, silent again (hq-silent).')
    await expect(clusters.row('hq-silent')).toContainText('Checking…')
    await simulator.hold('none')
    await expect(clusters.row('hq-silent')).toContainText('Reachable')
  } finally {
    await api.delete(`/api/clusters/${target.id}`)
  }
})

test('a cluster whose TLS certificate is not verified says so in the list', async ({ clusters, api }) => {
  const listed = await (await api.get('/api/clusters')).json() as ClusterList
  const branch = listed.clusters.find((c) => c.id === 'branch')
  const unverified = await api.post('/api/clusters', { id: 'unverified', name: 'Unverified lab', host: '127.0.0.1', port: branch?.port ?? 0, appUser: DEMO_APP_USER, appPassword: DEMO_APP_PASSWORD, tlsInsecure: true })
  expect(unverified.status()).toBe(201)
  try {
    await clusters.open()
    await expect(clusters.row('unverified')).toContainText('Reachable')
    await expect(clusters.row('unverified')).toContainText('TLS not verified')
    await expect(clusters.row('branch')).not.toContainText('TLS not verified')
    // Its connection check finds nothing wrong, and does not call that a clean pass: nobody checked who answered.
    await clusters.page.getByRole('button', { name: 'Check connection of unverified' }).click()
    const result = clusters.page.getByRole('row', { name: 'Result for unverified' }).getByRole('status', { name: 'Connection check' })
    await expect(result).toContainText('Every check passed, but CUCM\'s certificate was NOT verified')
    await expect(result).not.toContainText('All checks passed')
    await expect(result.getByText('Not verified', { exact: true })).toBeVisible()
  } finally {
    await api.delete('/api/clusters/unverified')
  }
})

test('a DER certificate file, as CUCM also offers it, is read as PEM', async ({ clusters, api }) => {
  const listed = await (await api.get('/api/clusters')).json() as ClusterList
  const branch = listed.clusters.find((c) => c.id === 'branch')
  expect(branch?.caPem).toBeTruthy()
  await clusters.open()
  await clusters.addButton.click()
  await clusters.fill({ id: 'from-der', name: 'From DER', host: '127.0.0.1', port: branch?.port ?? 0, appUser: DEMO_APP_USER, appPassword: DEMO_APP_PASSWORD })
  await clusters.uploadCa(branch?.caPem ?? '', 'der')
  await expect(clusters.field('CA certificate (PEM)')).toHaveValue(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE-----$/)
  await clusters.checkButton.click()
  await expect(clusters.checkResult).toContainText('All checks passed.')
  await expect(clusters.checkResult).toContainText('TLS certificate trusted: certificate verified')
})

test('a certificate file the browser cannot read is said so under the field, not ignored', async ({ clusters, page }) => {
  await makeChosenFilesUnreadable(page)
  await clusters.open()
  await clusters.addButton.click()
  await clusters.uploadCa('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n')
  const upload = clusters.field('Upload a certificate file (PEM or DER)')
  await expect(clusters.dialog.getByRole('alert')).toHaveText(`The file could not be read: ${NOT_READABLE} Choose it again, or another.`)
  await expect(upload).toHaveAccessibleDescription(/^The file could not be read/)
  await expect(clusters.field('CA certificate (PEM)')).toHaveValue('')
})

test('a whole store pasted as the CA certificate is refused under its field before anything is sent, naming its limit', async ({ page, clusters }) => {
  let sent = 0
  page.on('request', (request) => { if (request.url().includes('/api/clusters') && request.method() === 'POST') sent++ })
  await clusters.open()
  await clusters.addButton.click()
  await clusters.fill({ id: 'store', name: 'Store', host: '127.0.0.1', port: 8443, appUser: DEMO_APP_USER, appPassword: DEMO_APP_PASSWORD })
  // A bundle was refused by the server only, past 1 MiB as a body too large: "Send a shorter list, or split it in parts".
  const block = `-----BEGIN CERTIFICATE-----\n${'MIIB'.repeat(400)}\n-----END CERTIFICATE-----\n`
  await clusters.field('CA certificate (PEM)').fill(block.repeat(60))
  await clusters.saveButton.click()
  const field = clusters.field('CA certificate (PEM)')
  await expect(field).toBeFocused()
  await expect(field).toHaveAccessibleDescription(/^CA certificate: PEM text of up to 65,536 characters: .* This one has [\d,]+ characters, [\d,]+ too many\.$/)
  expect(sent).toBe(0)
})

test('Add cluster or Check connection with a field missing takes the focus to that field, where its error is', async ({ page, clusters }) => {
  await page.setViewportSize({ width: 1280, height: 700 })
  await clusters.open()
  await clusters.addButton.click()
  await clusters.fill({ id: 'nopass', name: 'No password', host: '127.0.0.1', port: 8443, appUser: DEMO_APP_USER, appPassword: '' })
  // The button is at the foot of a long dialog: the error showed far above it, out of sight, so
  // the button seemed to do nothing, and the focus stayed on it.
  await clusters.saveButton.click()
  const password = clusters.field('Application password')
  await expect(password).toBeFocused()
  await expect(password).toBeInViewport()
  await expect(password).toHaveAccessibleDescription('Application password: needed.')
  await clusters.field('Port').fill('99999')
  await clusters.checkButton.click()
  await expect(clusters.field('Port')).toBeFocused()
  await expect(clusters.dialog).toBeVisible()
  // HTTP Basic ends the user ID at its first colon: CUCM would read another user.
  await clusters.field('Port').fill('8443')
  await clusters.field('Application password').fill('x')
  await clusters.field('AXL user').fill('domain:axl')
  await clusters.field('AXL password').fill('x')
  await clusters.checkButton.click()
  await expect(clusters.field('AXL user')).toBeFocused()
  await expect(clusters.field('AXL user')).toHaveAccessibleDescription(/^AXL user: .*without control characters or a colon.*":" is not allowed\.$/)
})
