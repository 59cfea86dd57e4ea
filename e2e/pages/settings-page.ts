import type { Locator, Page } from '@playwright/test'

export class SettingsPage {
  readonly page: Page
  readonly exemptDevices: Locator
  readonly exemptUsers: Locator
  readonly logoutList: Locator
  readonly saveButton: Locator
  readonly saved: Locator

  constructor (page: Page) {
    this.page = page
    this.exemptDevices = page.getByLabel('Exempt devices')
    this.exemptUsers = page.getByLabel('Exempt users')
    this.logoutList = page.getByLabel('Devices to log out one by one')
    this.saveButton = page.getByRole('button', { name: 'Save settings' })
    this.saved = page.getByRole('status').filter({ hasText: 'Settings saved' })
  }

  async open (): Promise<void> {
    await this.page.goto('/#/settings')
  }
}
