import type { Locator, Page } from '@playwright/test'

/** What every screen shares: the main navigation, the signed-in user and the page heading. */
export class AppShell {
  readonly page: Page
  /** The page's first link, shown once it has the focus: it moves the keyboard past the header. */
  readonly skipLink: Locator
  readonly nav: Locator
  readonly heading: Locator
  readonly themeToggle: Locator
  readonly signedInAs: Locator
  readonly signOutButton: Locator
  readonly accountButton: Locator
  /** The signed-in person's own account: who they are and a new password. */
  readonly accountDialog: Locator
  /** On a phone the navigation, theme and sign-out fold behind this button. */
  readonly menuButton: Locator
  /** The header's cluster picker: there with two clusters or more (the demo has hq and branch). */
  readonly clusterPicker: Locator

  constructor (page: Page) {
    this.page = page
    this.skipLink = page.getByRole('link', { name: 'Skip to content' })
    this.nav = page.getByRole('navigation', { name: 'Main' })
    this.heading = page.getByRole('heading', { level: 1 })
    this.themeToggle = page.getByRole('button', { name: /^Theme:/ })
    const banner = page.getByRole('banner')
    this.signedInAs = banner.getByText(/^Signed in as \S/)
    this.signOutButton = banner.getByRole('button', { name: 'Sign out' })
    this.accountButton = banner.getByRole('button', { name: 'Account' })
    this.accountDialog = page.getByRole('dialog', { name: 'Your account' })
    this.menuButton = banner.getByRole('button', { name: 'Menu' })
    this.clusterPicker = banner.getByLabel('Cluster')
  }

  /** Picks one cluster (by its display name, e.g. "HQ (demo)"), or "All clusters", in the header. */
  async pickCluster (label: string): Promise<void> {
    await this.openMenu()
    await this.clusterPicker.selectOption({ label })
  }

  /** Unfolds the menu when the screen is narrow enough to fold it. */
  async openMenu (): Promise<void> {
    if (await this.menuButton.isVisible() && await this.menuButton.getAttribute('aria-expanded') !== 'true') await this.menuButton.click()
  }

  async goTo (screen: 'Overview' | 'Sessions' | 'Devices' | 'Users' | 'Bulk runs' | 'Schedules' | 'History' | 'Settings' | 'Accounts'): Promise<void> {
    await this.openMenu()
    await this.nav.getByRole('link', { name: screen, exact: true }).click()
  }

  async openAccount (): Promise<void> {
    await this.openMenu()
    await this.accountButton.click()
  }

  /** Changes the signed-in person's password in the Account dialog (left open, to read the outcome). */
  async changePassword (current: string, next: string): Promise<void> {
    await this.accountDialog.getByLabel('Current password').fill(current)
    await this.accountDialog.getByLabel('New password', { exact: true }).fill(next)
    await this.accountDialog.getByLabel('New password again').fill(next)
    await this.accountDialog.getByRole('button', { name: 'Change password' }).click()
  }

  async signOut (): Promise<void> {
    await this.openMenu()
    await this.signOutButton.click()
  }
}
