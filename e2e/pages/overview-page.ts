import type { Locator, Page } from '@playwright/test'

export class OverviewPage {
  readonly page: Page
  /** The connection card, or with several clusters the first cluster's (the demo's hq). */
  readonly connectionCard: Locator
  readonly simulatorBadge: Locator
  readonly logoutAllButton: Locator
  readonly dialog: Locator
  readonly confirmationInput: Locator
  readonly confirmButton: Locator
  /** With several clusters: the clusters the dialog will act on, named before the typed words. */
  readonly targets: Locator
  /** With several clusters: each cluster's outcome once done. */
  readonly clusterResults: Locator
  readonly savedListMode: Locator
  readonly savedListPreview: Locator
  readonly savedListConfirmButton: Locator
  readonly nextRun: Locator
  readonly activity: Locator
  /** Today's logouts that ended a login; `note` says the no-ops apart. */
  readonly logoutsToday: { value: Locator, note: Locator }
  /** Today's failures, a link to them in History (its name starts with the count). */
  readonly failuresToday: Locator
  /** Each day's bar of the activity chart, oldest first, by the words a pointer over it shows ("Dec 6: 2 succeeded, 1 failed, 0 look-ups"). */
  readonly chartDays: Locator
  readonly recentActions: Locator

  constructor (page: Page) {
    this.page = page
    this.connectionCard = page.getByRole('region', { name: /^Connection/ }).first()
    this.simulatorBadge = this.connectionCard.getByText('Simulator', { exact: true })
    this.logoutAllButton = page.getByRole('button', { name: 'Log out all EM users' })
    // The title says what is asked, then what happened: "Log out all EM users?", "All EM users logged out".
    this.dialog = page.getByRole('dialog', { name: /all EM users/i })
    this.confirmationInput = this.dialog.getByLabel('Type LOG OUT ALL to confirm')
    this.confirmButton = this.dialog.getByRole('button', { name: /^Log out all users/ })
    this.targets = this.dialog.getByRole('list', { name: /^Acts on/ })
    this.clusterResults = this.dialog.getByRole('list', { name: 'Results per cluster' })
    this.savedListMode = this.dialog.getByLabel('One by one from the first device list')
    this.savedListPreview = this.dialog.getByRole('table', { name: 'Preview' })
    this.savedListConfirmButton = this.dialog.getByRole('button', { name: /^One by one: / })
    this.nextRun = page.getByRole('region', { name: 'Next scheduled run' })
    this.activity = page.getByRole('region', { name: 'Activity at a glance' })
    this.recentActions = page.getByRole('region', { name: 'Recent actions' })
    const logouts = this.activity.getByRole('group', { name: 'Logouts today' })
    this.logoutsToday = { value: logouts.locator('.stat-value'), note: logouts.locator('.stat-note') }
    this.failuresToday = this.activity.getByRole('group', { name: 'Failures today' }).getByRole('link')
    this.chartDays = this.activity.getByRole('img', { name: /^Actions per day/ }).locator('title')
  }

  /** One cluster's connection card (several clusters), by the cluster's display name. */
  connection (clusterName: string): Locator {
    return this.page.getByRole('region', { name: `Connection: ${clusterName}`, exact: true })
  }

  /** One cluster's line in the result of a logout-all of several clusters. */
  clusterResult (clusterName: string): Locator {
    return this.clusterResults.getByRole('listitem').filter({ hasText: clusterName })
  }

  async open (): Promise<void> {
    await this.page.goto('/#/overview')
  }

  async logOutAll (confirmation = 'LOG OUT ALL'): Promise<void> {
    await this.logoutAllButton.click()
    await this.confirmationInput.fill(confirmation)
    await this.confirmButton.click()
  }
}
