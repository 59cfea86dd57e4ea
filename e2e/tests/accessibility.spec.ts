import type { Cluster, RunStarted, Schedule } from '@em-console/shared/schemas'
import { expectAccessible } from '../accessibility.ts'
import { expect, test } from '../fixtures.ts'

for (const theme of ['light', 'dark'] as const) {
  test.describe(`${theme} theme`, () => {
    test.beforeEach(async ({ page }) => {
      await page.addInitScript((choice) => { window.localStorage.setItem('em-console-theme', choice) }, theme)
    })

    test(`every screen has no serious or critical axe-core violation (${theme})`, async ({ page, overview, sessions, devices, users, runs, schedules, history, settings, clusters, accounts, shell, api, consoleErrors }) => {
      // Every screen, each checked by axe-core: slow on a busy two-core machine.
      test.setTimeout(240_000)
      const schedule = await api.post('/api/schedules', { name: `axe-${theme}-${Date.now().toString(36)}`, cron: '0 2 * * *', timezone: 'UTC', enabled: false })
      expect(schedule.status()).toBe(201)
      const created = await schedule.json() as Schedule
      // A run with every kind of outcome badge: success, already logged out, unknown.
      const started = await api.post('/api/runs', { action: 'logout', devices: ['SEP001122334455', 'SEP00AABBCCDDEE', 'SEPFFFFFFFFFFFF'], verifyAfterSeconds: 0 })
      expect(started.status()).toBe(202)
      const runId = (await started.json() as RunStarted).id
      // A failure in the history, so its red badge is checked too.
      expect((await api.post('/api/devices/SEP00AABBCCDDEE/login', { userId: 'nobody-here' })).ok()).toBe(false)
      // A cluster added from the dashboard (the demo's two come from the environment, which cannot
      // be edited or deleted there), disabled: it answers nothing and changes no other screen.
      const cluster = await api.post('/api/clusters', { id: `axe-${theme}`, name: `Axe ${theme}`, host: '127.0.0.1', port: 9, appUser: 'nobody', appPassword: 'not-a-password', enabled: false })
      expect(cluster.status(), await cluster.text()).toBe(201)
      const added = await cluster.json() as Cluster
      try {
        await overview.open()
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
        await expect(overview.recentActions.getByRole('table')).toBeVisible()
        await expect(overview.activity.getByText('Logouts today')).toBeVisible()
        await expectAccessible(page, 'Overview')
        await overview.logoutAllButton.click()
        await expect(overview.confirmationInput).toBeFocused()
        await expectAccessible(page, 'The logout-all dialog')
        await page.keyboard.press('Escape')

        await sessions.open()
        await expect(sessions.rows().first()).toBeVisible()
        await sessions.chip('> 24 h').click()
        await sessions.rows().first().getByRole('checkbox').check()
        await expectAccessible(page, 'Sessions with a filter and a selection')
        await sessions.logoutSelectedButton.click()
        await expect(sessions.dialog.getByRole('table', { name: 'Preview' })).toBeVisible()
        await expectAccessible(page, 'The logout-sessions dialog')
        await page.keyboard.press('Escape')

        await devices.open()
        // SEP001122334466 is not in the run above: jane.doe is still on it.
        await devices.lookUp('SEP001122334466', 'SEP00AABBCCDDEE', 'SEPFFFFFFFFFFFF')
        await expect(devices.row('SEP001122334466')).toContainText('jane.doe@example.com')
        await devices.row('SEP001122334466').getByRole('button', { name: 'Log out SEP001122334466' }).click()
        await expectAccessible(page, 'Devices with results and an open question')

        await users.open()
        await users.lookUp('jdoe')
        await expect(users.profilesCard.getByText('jdoe-EM-8865')).toBeVisible()
        await expectAccessible(page, 'Users with results')

        await runs.open()
        await runs.pasteList.fill('SEP001122334455 SEP00AABBCCDDEE SEPFFFFFFFFFFFF')
        await runs.previewButton.click()
        await expect(runs.previewRow('SEP00AABBCCDDEE')).toBeVisible()
        await expectAccessible(page, 'Bulk runs with a preview')

        await page.goto(`/#/runs/${runId}`)
        await expect(runs.state).toHaveText('State: Done')
        await expectAccessible(page, 'A run\'s page')

        await schedules.open()
        await expect(schedules.row(created.name)).toBeVisible()
        await expectAccessible(page, 'Schedules')
        await schedules.row(created.name).getByRole('button', { name: `Run now: ${created.name}` }).click()
        await expect(schedules.runNowDialog).toBeVisible()
        await expectAccessible(page, 'The Run now dialog')
        await page.keyboard.press('Escape')
        await schedules.row(created.name).getByRole('button', { name: `Edit ${created.name}` }).click()
        await expect(schedules.editDialog.getByRole('list', { name: 'Next five runs' }).getByRole('listitem')).toHaveCount(5)
        await expectAccessible(page, 'The Edit schedule dialog')
        await page.keyboard.press('Escape')
        // The preview and the save answer 400 to the bad expression, as they should.
        consoleErrors.allow(/status of 400/)
        await schedules.name.fill('x')
        await schedules.cron.fill('not a cron')
        await schedules.createButton.click()
        await expect(schedules.createForm.getByRole('alert').first()).toBeVisible()
        await expectAccessible(page, 'Create a schedule with errors')

        await history.open()
        await expect(history.rows().filter({ hasText: 'Failed' }).first()).toBeVisible()
        await history.openRecord(history.rows().first())
        await expect(history.detail).toBeVisible()
        await expectAccessible(page, 'History with a record open')

        await settings.open()
        await expect(settings.exemptDevices).toBeVisible()
        // A device list being typed, its name not yet valid: the error shows under the name.
        await settings.addList('Ward A', 'SEP001122334455')
        await settings.addList('ward a', '')
        await expect(settings.list(2).name).toHaveAttribute('aria-invalid', 'true')
        await expectAccessible(page, 'Settings with device lists')
        await clusters.row('hq').getByRole('button', { name: 'Check connection of hq' }).click()
        await expect(page.getByRole('row', { name: 'Result for hq' }).getByRole('status', { name: 'Connection check' })).toContainText('All checks passed.')
        await expect(clusters.row(added.id)).toContainText('Disabled')
        await expectAccessible(page, 'Clusters with a connection check')
        await clusters.addButton.click()
        await expect(clusters.field('Id')).toBeFocused()
        await clusters.saveButton.click()
        await expect(clusters.dialog.getByRole('alert').first()).toBeVisible()
        await expectAccessible(page, 'The Add a cluster dialog with errors')
        await page.keyboard.press('Escape')
        await clusters.row(added.id).getByRole('button', { name: `Edit ${added.id}` }).click()
        await expect(clusters.field('Name')).toHaveValue(added.name)
        await expectAccessible(page, 'The Edit cluster dialog')
        await page.keyboard.press('Escape')
        await clusters.row(added.id).getByRole('button', { name: `Delete ${added.id}` }).click()
        await expect(clusters.deleteDialog).toBeVisible()
        await expectAccessible(page, 'The Delete cluster dialog')
        await page.keyboard.press('Escape')

        await accounts.open()
        await expect(accounts.table).toBeVisible()
        await expectAccessible(page, 'Accounts')
        await shell.openAccount()
        await expect(shell.accountDialog.getByLabel('Current password')).toBeFocused()
        await expectAccessible(page, 'The Account dialog')
        // The dialog's title bar is no landmark: a screen reader lists the page's one banner.
        await expect(page.getByRole('banner')).toHaveCount(1)
        await page.keyboard.press('Escape')

        // A phone: the header folds its links behind Menu.
        await page.setViewportSize({ width: 360, height: 740 })
        await shell.openMenu()
        await expect(shell.nav).toBeVisible()
        await expectAccessible(page, 'A phone with the menu open')
        await page.setViewportSize({ width: 1280, height: 860 })

        await page.goto('/#/nope')
        await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible()
        await expectAccessible(page, 'Not found')
      } finally {
        await api.delete(`/api/schedules/${created.id}`)
        await api.delete(`/api/clusters/${added.id}`)
      }
    })

    test.describe('signed out', () => {
      test.use({ signedInAs: null })
      test(`the sign-in page has no serious or critical axe-core violation (${theme})`, async ({ page, signIn, consoleErrors }) => {
        consoleErrors.allow(/Failed to load resource: the server responded with a status of 401/)
        await signIn.open()
        await expect(signIn.heading).toBeVisible()
        await expectAccessible(page, 'Sign-in')
        await signIn.username.fill('nobody')
        await signIn.password.fill('not-the-password')
        await signIn.signInButton.click()
        await expect(signIn.error).toBeVisible()
        await expectAccessible(page, 'Sign-in with an error')
      })
    })
  })
}
