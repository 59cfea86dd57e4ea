import type { Locator, Page } from '@playwright/test'

export class DevicesPage {
  readonly page: Page
  readonly namesInput: Locator
  readonly lookUpButton: Locator
  readonly results: Locator
  readonly summary: Locator
  readonly loginForm: Locator

  constructor (page: Page) {
    this.page = page
    const lookup = page.getByRole('region', { name: 'Look up devices' })
    this.namesInput = lookup.getByLabel('Device names')
    this.lookUpButton = lookup.getByRole('button', { name: 'Look up' })
    this.results = lookup.getByRole('table')
    // "5 devices: 2 logged in, ...", not the pager's "1–100 of 1,200 devices".
    this.summary = lookup.getByRole('status').filter({ hasText: /^[\d,]+ devices?:/ })
    this.loginForm = page.getByRole('region', { name: 'Log in a user to a device' })
  }

  async open (): Promise<void> {
    await this.page.goto('/#/devices')
  }

  async lookUp (...names: string[]): Promise<void> {
    await this.lookUpText(names.join('\n'))
  }

  /** Types text as an admin would paste it: any mix of new lines, commas and spaces. */
  async lookUpText (text: string): Promise<void> {
    await this.namesInput.fill(text)
    await this.lookUpButton.click()
  }

  /** A device's row; with several clusters a name may have one row per cluster: `cluster` (its display name) picks one. */
  row (deviceName: string, cluster?: string): Locator {
    const rows = this.results.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: deviceName, exact: true }) })
    return cluster === undefined ? rows : rows.filter({ has: this.page.getByRole('cell', { name: cluster, exact: true }) })
  }

  /** The line under a device's row that tells how its last logout ended. */
  result (deviceName: string): Locator {
    return this.results.getByRole('row', { name: `Result for ${deviceName}` })
  }

  async logOut (deviceName: string, cluster?: string): Promise<void> {
    const row = this.row(deviceName, cluster)
    await row.getByRole('button', { name: `Log out ${deviceName}` }).click()
    await row.getByRole('button', { name: 'Confirm logout' }).click()
  }
}
