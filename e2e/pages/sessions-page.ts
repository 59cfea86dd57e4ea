import type { Locator, Page } from '@playwright/test'

/** The Sessions screen: who is logged in now (from the AXL inventory), filters, selection, logout. */
export class SessionsPage {
  readonly page: Page
  /** "150 sessions match". */
  readonly total: Locator
  readonly table: Locator
  readonly refreshButton: Locator
  readonly logoutSelectedButton: Locator
  readonly logoutMatchingButton: Locator
  readonly exportLink: Locator
  readonly dialog: Locator
  readonly startButton: Locator
  readonly endedSessions: Locator
  readonly search: Locator

  constructor (page: Page) {
    this.page = page
    this.total = page.getByRole('status').filter({ hasText: /(sessions? match(es)?|Loading…)$/ })
    this.table = page.getByRole('table', { name: 'Sessions logged in now' })
    this.refreshButton = page.getByRole('button', { name: /^Refresh sessions/ })
    this.logoutSelectedButton = page.getByRole('button', { name: /^Log out selected/ })
    this.logoutMatchingButton = page.getByRole('button', { name: /^Log out all [\d,]+ matching$/ })
    this.exportLink = page.getByRole('link', { name: 'Export CSV', exact: true })
    this.dialog = page.getByRole('dialog')
    this.startButton = this.dialog.getByRole('button', { name: /^Start: log out/ })
    this.endedSessions = page.getByRole('region', { name: 'Ended sessions' })
    this.search = page.getByLabel('Search', { exact: true })
  }

  async open (query = ''): Promise<void> {
    await this.page.goto(`/#/sessions${query}`)
  }

  pool (name: string): Locator {
    return this.page.getByRole('checkbox', { name: new RegExp(`^${name} \\(`) })
  }

  chip (label: string): Locator {
    return this.page.getByRole('button', { name: label, exact: true })
  }

  rows (): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('cell') })
  }

  row (device: string): Locator {
    return this.rows().filter({ hasText: device })
  }

  async select (device: string): Promise<void> {
    await this.row(device).getByRole('checkbox').check()
  }

  endedRow (device: string): Locator {
    return this.endedSessions.getByRole('row').filter({ hasText: device })
  }
}
