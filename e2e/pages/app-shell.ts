import type { Locator, Page } from '@playwright/test'

/** What every screen shares: the main navigation, the signed-in user and the page heading. */
export class AppShell {
  readonly page: Page
  readonly nav: Locator
  readonly heading: Locator
  readonly themeToggle: Locator
  readonly signedInAs: Locator
  readonly signOutButton: Locator

  constructor (page: Page) {
    this.page = page
    this.nav = page.getByRole('navigation', { name: 'Main' })
    this.heading = page.getByRole('heading', { level: 1 })
    this.themeToggle = page.getByRole('button', { name: /^Theme:/ })
    const banner = page.getByRole('banner')
    this.signedInAs = banner.getByText(/^Signed in as \S/)
    this.signOutButton = banner.getByRole('button', { name: 'Sign out' })
  }

  async goTo (screen: 'Overview' | 'Devices' | 'Users' | 'Bulk runs' | 'Schedules' | 'History' | 'Settings' | 'Accounts'): Promise<void> {
    await this.nav.getByRole('link', { name: screen }).click()
  }

  async signOut (): Promise<void> {
    await this.signOutButton.click()
  }
}
