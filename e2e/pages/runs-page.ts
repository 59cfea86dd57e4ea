import type { Locator, Page } from '@playwright/test'

/** The Bulk runs screen: a new run with its preview, the recent runs, and one run's page. */
export class RunsPage {
  readonly page: Page
  readonly newRun: Locator
  readonly pasteList: Locator
  readonly csvFile: Locator
  readonly recheckAfter: Locator
  readonly previewButton: Locator
  readonly preview: Locator
  readonly problems: Locator
  readonly startButton: Locator
  readonly recentRuns: Locator
  readonly run: Locator
  /** The run's state, e.g. "State: Running". */
  readonly state: Locator
  readonly progress: Locator
  readonly outcomes: Locator
  readonly finishedItems: Locator
  readonly cancelButton: Locator
  readonly downloadLink: Locator
  readonly retryButton: Locator
  readonly runRestButton: Locator
  /** "5 of 12 devices finished", "Cancelled after 5 of 12 devices". */
  readonly progressLabel: Locator
  readonly itemsFilter: Locator

  constructor (page: Page) {
    this.page = page
    this.newRun = page.getByRole('region', { name: 'New bulk run' })
    this.pasteList = this.newRun.getByLabel(/^Paste /)
    this.csvFile = this.newRun.getByLabel('Or upload a CSV file')
    this.recheckAfter = this.newRun.getByLabel('Re-check after')
    this.previewButton = this.newRun.getByRole('button', { name: 'Preview' })
    this.preview = this.newRun.getByRole('table', { name: 'Preview' })
    this.problems = this.newRun.getByRole('alert').filter({ hasText: 'cannot be used' })
    this.startButton = this.newRun.getByRole('button', { name: 'Start' })
    this.recentRuns = page.getByRole('region', { name: 'Recent runs' })
    this.run = page.getByRole('region', { name: /^Bulk (logout|login)/ })
    this.state = this.run.getByRole('status').filter({ hasText: 'State:' })
    this.progress = this.run.getByRole('progressbar', { name: 'Run progress' })
    this.outcomes = this.run.getByRole('list', { name: 'Outcomes' })
    this.finishedItems = this.run.getByRole('table', { name: /^Finished devices/ })
    this.cancelButton = this.run.getByRole('button', { name: 'Cancel run' })
    this.downloadLink = this.run.getByRole('link', { name: 'Download results (CSV)' })
    this.retryButton = this.run.getByRole('button', { name: /^Retry failed/ })
    this.runRestButton = this.run.getByRole('button', { name: /^Run the rest/ })
    this.progressLabel = this.run.getByText(/^(\d+ of \d+ devices? finished|(Cancelled|Interrupted) after \d+ of \d+ devices?)$/)
    this.itemsFilter = this.run.getByLabel('Show', { exact: true })
  }

  async open (): Promise<void> {
    await this.page.goto('/#/runs')
  }

  /**
   * Pastes a long list at once, as a person's paste does (Playwright's fill of a multi-line value
   * takes time quadratic in its lines: 8 s for 2,000, past a test's limit for 5,000).
   */
  async paste (text: string): Promise<void> {
    await this.pasteList.evaluate((element, value) => {
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set?.call(element, value)
      element.dispatchEvent(new Event('input', { bubbles: true }))
    }, text)
  }

  async chooseAction (action: 'Log out devices' | 'Log out users' | 'Log users in'): Promise<void> {
    await this.newRun.getByLabel(action).check()
  }

  previewRow (device: string): Locator {
    return this.preview.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: device, exact: true }) })
  }

  itemRow (device: string): Locator {
    return this.finishedItems.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: device, exact: true }) })
  }

  outcome (label: string): Locator {
    return this.outcomes.getByRole('listitem').filter({ hasText: label })
  }
}
