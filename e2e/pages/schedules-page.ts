import { expect, type Locator, type Page } from '@playwright/test'

export class SchedulesPage {
  readonly page: Page
  readonly table: Locator
  readonly createForm: Locator
  readonly name: Locator
  readonly cron: Locator
  readonly timezone: Locator
  readonly action: Locator
  /** Shown for a device-list logout: which list of Settings. */
  readonly deviceList: Locator
  readonly createButton: Locator
  readonly fireTimes: Locator
  readonly editDialog: Locator
  readonly runNowDialog: Locator

  constructor (page: Page) {
    this.page = page
    this.table = page.getByRole('region', { name: 'Schedules', exact: true }).getByRole('table')
    this.createForm = page.getByRole('region', { name: 'Create a schedule' })
    this.name = this.createForm.getByLabel('Name')
    this.cron = this.createForm.getByLabel('Cron expression')
    this.timezone = this.createForm.getByLabel('Time zone')
    this.action = this.createForm.getByLabel('Action')
    this.deviceList = this.createForm.getByLabel('Device list')
    this.createButton = this.createForm.getByRole('button', { name: 'Create schedule' })
    this.fireTimes = this.createForm.getByRole('list', { name: 'Next five runs' }).getByRole('listitem')
    this.editDialog = page.getByRole('dialog', { name: /^Edit schedule/ })
    this.runNowDialog = page.getByRole('dialog', { name: /^Run .+ now\?$/ })
  }

  async open (): Promise<void> {
    await this.page.goto('/#/schedules')
  }

  row (name: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: new RegExp(`^${name}`) }) })
  }

  /** The line under a schedule's row that tells how its last change or run ended. */
  result (name: string): Locator {
    return this.table.getByRole('row', { name: `Result for ${name}` })
  }

  /** Every way to log out all EM users asks for the same typed words. */
  /** Run now, typing the words when the schedule is a cluster-wide logout (the others ask one button). */
  async runNow (name: string, confirmation = 'LOG OUT ALL'): Promise<void> {
    await this.row(name).getByRole('button', { name: `Run now: ${name}` }).click()
    await expect(this.runNowDialog).toBeVisible()
    const typed = this.runNowDialog.getByLabel('Type LOG OUT ALL to confirm')
    if (await typed.count() > 0) await typed.fill(confirmation)
    await this.runNowDialog.getByRole('button', { name: 'Run now' }).click()
  }

  /** Moves a schedule to another time through its edit dialog. */
  async changeCron (name: string, cron: string): Promise<void> {
    await this.row(name).getByRole('button', { name: `Edit ${name}` }).click()
    await this.editDialog.getByLabel('Cron expression').fill(cron)
    await this.editDialog.getByRole('button', { name: 'Save changes' }).click()
    await expect(this.editDialog).toBeHidden()
  }

  async delete (name: string): Promise<void> {
    await this.row(name).getByRole('button', { name: `Delete ${name}` }).click()
    await this.row(name).getByRole('group', { name: `Confirm deleting ${name}` }).getByRole('button', { name: 'Delete' }).click()
  }
}
