import { expect, type Locator, type Page } from '@playwright/test'
import { paste } from '../fixtures.ts'

/** Twelve EM-enabled phones of the demo seed (server/src/simulator/seed.ts, seed 20261101). */
export const SEED_PHONES = [
  'SEP1AC049ACC3C3', 'SEP320079B4535B', 'SEPD6763695D986', 'SEP564F004A1659', 'SEPF94EFB16B537', 'SEP5C47FFFAAC2A',
  'SEPDFC9A07BE149', 'SEPB39F7B371569', 'SEP1AEF5486034D', 'SEP063B94C9BDD7', 'SEP570FADDC23AE', 'SEP7CC8AA2215F2'
]

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
  /** One run's page: the region that shows a run's state, named by its heading (the run's title and short id). */
  readonly run: Locator
  /** What the run was, and its short id: "Per-device logout of the list "Lobby" 1a2b3c4d". */
  readonly title: Locator
  /** The run's state, e.g. "State: Running". */
  readonly state: Locator
  readonly progress: Locator
  readonly outcomes: Locator
  readonly finishedItems: Locator
  readonly cancelButton: Locator
  readonly downloadLink: Locator
  readonly auditLink: Locator
  readonly retryButton: Locator
  readonly runRestButton: Locator
  /** "5 of 12 devices finished", "Cancelled after 5 of 12 devices", "3 of 3 devices and users finished". */
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
    this.run = page.getByRole('region').filter({ has: page.getByRole('status').filter({ hasText: /^State: / }) })
    this.title = this.run.getByRole('heading', { level: 2 })
    this.state = this.run.getByRole('status').filter({ hasText: 'State:' })
    this.progress = this.run.getByRole('progressbar', { name: 'Run progress' })
    this.outcomes = this.run.getByRole('list', { name: 'Outcomes' })
    this.finishedItems = this.run.getByRole('table', { name: /^Finished (devices|users)/ })
    this.cancelButton = this.run.getByRole('button', { name: 'Cancel run' })
    this.downloadLink = this.run.getByRole('link', { name: 'Download results (CSV)' })
    this.auditLink = this.run.getByRole('link', { name: 'Audit records' })
    this.retryButton = this.run.getByRole('button', { name: /^Retry failed/ })
    this.runRestButton = this.run.getByRole('button', { name: /^Run the rest/ })
    // A run of users may hold users too: "3 of 3 devices and users finished".
    const items = String.raw`\d+ of \d+ (devices?|users?|devices and users)`
    this.progressLabel = this.run.getByText(new RegExp(`^(${items} finished|(Cancelled|Interrupted) after ${items})$`))
    this.itemsFilter = this.run.getByLabel('Show', { exact: true })
  }

  async open (): Promise<void> {
    await this.page.goto('/#/runs')
  }

  /** Pastes a long list at once, as a person's paste does. */
  async paste (text: string): Promise<void> {
    await paste(this.pasteList, text)
  }

  async chooseAction (action: 'Log out devices' | 'Log out users' | 'Log users in'): Promise<void> {
    await this.newRun.getByLabel(action).check()
  }

  /**
   * Starts a run that logs `user` in on each of `devices` (a CSV file, no re-check) and waits for
   * its page. One user on many phones: CUCM refuses all but one, so the run has failures.
   */
  async startLogins (devices: readonly string[], user: string): Promise<void> {
    await this.open()
    await this.chooseAction('Log users in')
    await this.csvFile.setInputFiles({ name: 'logins.csv', mimeType: 'text/csv', buffer: Buffer.from(['device,user', ...devices.map((d) => `${d},${user}`)].join('\n')) })
    await this.recheckAfter.fill('0')
    await this.previewButton.click()
    await expect(this.preview).toBeVisible()
    await this.startButton.click()
    await expect(this.page).toHaveURL(/#\/runs\/[0-9a-f-]{36}$/)
  }

  previewRow (device: string): Locator {
    return this.preview.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: device, exact: true }) })
  }

  /** A device's row of the finished items; on a phone its row header says the outcome after the device. */
  itemRow (device: string): Locator {
    // A device name has letters, digits, dots, dashes and underscores: only the dot means more in a pattern.
    const name = new RegExp(`^${device.replaceAll('.', '\\.')}(\\s|$)`)
    return this.finishedItems.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name }) })
  }

  /** The row of a run in Recent runs, by its id. */
  recentRun (id: string): Locator {
    return this.recentRuns.getByRole('row').filter({ has: this.page.getByRole('link', { name: id.slice(0, 8), exact: true }) })
  }

  outcome (label: string): Locator {
    return this.outcomes.getByRole('listitem').filter({ hasText: label })
  }
}
