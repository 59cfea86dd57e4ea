import type { Locator, Page } from '@playwright/test'

/** What every screen shares: the main navigation and the page heading. */
export class AppShell {
  readonly page: Page
  readonly nav: Locator
  readonly heading: Locator
  readonly themeToggle: Locator

  constructor (page: Page) {
    this.page = page
    this.nav = page.getByRole('navigation', { name: 'Main' })
    this.heading = page.getByRole('heading', { level: 1 })
    this.themeToggle = page.getByRole('button', { name: /^Theme:/ })
  }

  async goTo (screen: 'Overview' | 'Devices' | 'Users' | 'History'): Promise<void> {
    await this.nav.getByRole('link', { name: screen }).click()
  }
}
