import type { Locator, Page } from '@playwright/test'

/** What every screen shares: the main navigation, the signed-in user and the page heading. */
export class AppShell {
  readonly page: Page
  readonly nav: Locator
  readonly heading: Locator
  readonly themeToggle: Locator
  readonly signedInAs: Locator
  readonly signOutButton: Locator
  /** On a phone the navigation, theme and sign-out fold behind this button. */
  readonly menuButton: Locator

  constructor (page: Page) {
    this.page = page
    this.nav = page.getByRole('navigation', { name: 'Main' })
    this.heading = page.getByRole('heading', { level: 1 })
    this.themeToggle = page.getByRole('button', { name: /^Theme:/ })
    const banner = page.getByRole('banner')
    this.signedInAs = banner.getByText(/^Signed in as \S/)
    this.signOutButton = banner.getByRole('button', { name: 'Sign out' })
    this.menuButton = banner.getByRole('button', { name: 'Menu' })
  }

  /** Unfolds the menu when the screen is narrow enough to fold it. */
  async openMenu (): Promise<void> {
    if (await this.menuButton.isVisible() && await this.menuButton.getAttribute('aria-expanded') !== 'true') await this.menuButton.click()
  }

  async goTo (screen: 'Overview' | 'Sessions' | 'Devices' | 'Users' | 'Bulk runs' | 'Schedules' | 'History' | 'Settings' | 'Accounts'): Promise<void> {
    await this.openMenu()
    await this.nav.getByRole('link', { name: screen, exact: true }).click()
  }

  async signOut (): Promise<void> {
    await this.openMenu()
    await this.signOutButton.click()
  }
}
