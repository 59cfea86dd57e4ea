import { expect, type Locator, type Page } from '@playwright/test'

export class SettingsPage {
  readonly page: Page
  readonly exemptDevices: Locator
  readonly exemptUsers: Locator
  readonly addListButton: Locator
  readonly saveButton: Locator
  readonly saved: Locator

  constructor (page: Page) {
    this.page = page
    this.exemptDevices = page.getByLabel('Exempt devices')
    this.exemptUsers = page.getByLabel('Exempt users')
    this.addListButton = page.getByRole('button', { name: 'Add a list' })
    this.saveButton = page.getByRole('button', { name: 'Save settings' })
    this.saved = page.getByRole('status').filter({ hasText: 'Settings saved' })
  }

  async open (): Promise<void> {
    await this.page.goto('/#/settings')
  }

  /** The n-th device list (1 = the first), as a group holding its name, devices and Remove button. */
  list (n: number): { group: Locator, name: Locator, devices: Locator, remove: Locator } {
    const group = this.page.getByRole('group', { name: new RegExp(`^Device list ${n}\\b`) })
    return {
      group,
      name: group.getByLabel('List name'),
      devices: group.getByLabel(/^Devices of /),
      remove: group.getByRole('button', { name: /^Remove / })
    }
  }

  /** Adds a list at the end and fills it in. */
  async addList (name: string, devices: string): Promise<void> {
    // The lists are counted once the form is drawn with the saved ones: before, none is there and
    // a list saved before was taken for the new one.
    await expect(this.addListButton).toBeVisible()
    const n = await this.page.getByRole('group', { name: /^Device list \d+/ }).count() + 1
    await this.addListButton.click()
    await this.list(n).name.fill(name)
    await this.list(n).devices.fill(devices)
  }
}
