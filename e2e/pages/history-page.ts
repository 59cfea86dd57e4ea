import type { Locator, Page } from '@playwright/test'

export class HistoryPage {
  readonly page: Page
  readonly filters: Locator
  readonly action: Locator
  readonly outcome: Locator
  readonly trigger: Locator
  /** With several clusters. */
  readonly cluster: Locator
  readonly device: Locator
  readonly user: Locator
  readonly from: Locator
  readonly to: Locator
  readonly search: Locator
  /** Shown when a link filters by one run. */
  readonly run: Locator
  readonly applyButton: Locator
  readonly clearButton: Locator
  readonly exportLink: Locator
  readonly table: Locator
  readonly detail: Locator
  readonly olderButton: Locator
  readonly newerButton: Locator
  readonly pageNumber: Locator
  readonly rowsPerPage: Locator

  constructor (page: Page) {
    this.page = page
    this.filters = page.getByRole('region', { name: 'Filters' })
    this.action = this.filters.getByLabel('Action')
    this.outcome = this.filters.getByLabel('Outcome')
    this.trigger = this.filters.getByLabel('Trigger')
    this.cluster = this.filters.getByLabel('Cluster')
    this.device = this.filters.getByLabel('Device')
    this.user = this.filters.getByLabel('User')
    this.from = this.filters.getByLabel('From')
    this.to = this.filters.getByLabel('To')
    this.search = this.filters.getByLabel('Search')
    this.run = this.filters.getByLabel('Run', { exact: true })
    this.applyButton = this.filters.getByRole('button', { name: 'Apply filters' })
    this.clearButton = this.filters.getByRole('button', { name: 'Clear' })
    this.exportLink = this.filters.getByRole('link', { name: 'Export CSV' })
    this.table = page.getByRole('region', { name: 'Audit trail' }).getByRole('table')
    this.detail = page.getByRole('complementary')
    const pager = page.getByRole('navigation', { name: 'Pages' })
    this.olderButton = pager.getByRole('button', { name: 'Older →' })
    this.newerButton = pager.getByRole('button', { name: '← Newer' })
    this.pageNumber = pager.getByText(/^Page \d+/)
    this.rowsPerPage = pager.getByLabel('Rows per page')
  }

  async open (): Promise<void> {
    await this.page.goto('/#/history')
  }

  rows (): Locator {
    return this.table.locator('tbody').getByRole('row')
  }

  /** The row of one audit record, wherever it is on the page. */
  record (auditId: number): Locator {
    return this.rows().filter({ has: this.page.getByRole('button', { name: new RegExp(`open audit record ${auditId}$`) }) })
  }

  async openRecord (row: Locator): Promise<void> {
    // The link's name starts with the date it shows, then says what it opens.
    await row.getByRole('button', { name: /open audit record \d+$/ }).click()
  }
}
