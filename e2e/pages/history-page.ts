import type { Locator, Page } from '@playwright/test'

export class HistoryPage {
  readonly page: Page
  readonly filters: Locator
  readonly action: Locator
  readonly outcome: Locator
  readonly trigger: Locator
  readonly device: Locator
  readonly user: Locator
  readonly from: Locator
  readonly to: Locator
  readonly applyButton: Locator
  readonly exportLink: Locator
  readonly table: Locator
  readonly detail: Locator

  constructor (page: Page) {
    this.page = page
    this.filters = page.getByRole('region', { name: 'Filters' })
    this.action = this.filters.getByLabel('Action')
    this.outcome = this.filters.getByLabel('Outcome')
    this.trigger = this.filters.getByLabel('Trigger')
    this.device = this.filters.getByLabel('Device')
    this.user = this.filters.getByLabel('User')
    this.from = this.filters.getByLabel('From')
    this.to = this.filters.getByLabel('To')
    this.applyButton = this.filters.getByRole('button', { name: 'Apply filters' })
    this.exportLink = this.filters.getByRole('link', { name: 'Export CSV' })
    this.table = page.getByRole('region', { name: 'Audit trail' }).getByRole('table')
    this.detail = page.getByRole('complementary')
  }

  async open (): Promise<void> {
    await this.page.goto('/#/history')
  }

  rows (): Locator {
    return this.table.locator('tbody').getByRole('row')
  }

  async openRecord (row: Locator): Promise<void> {
    await row.getByRole('button', { name: /^Open audit record/ }).click()
  }
}
