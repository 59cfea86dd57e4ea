import type { Locator, Page } from '@playwright/test'
import type { Role } from '@em-console/shared/schemas'
import type { Credentials } from './sign-in-page.ts'

const ROLE_LABELS: Record<Role, string> = { viewer: 'Viewer', operator: 'Operator', admin: 'Admin' }

export class AccountsPage {
  readonly page: Page
  readonly createForm: Locator
  readonly newUsername: Locator
  readonly newPassword: Locator
  readonly newRole: Locator
  readonly createButton: Locator
  readonly table: Locator
  readonly resetDialog: Locator

  constructor (page: Page) {
    this.page = page
    this.createForm = page.getByRole('region', { name: 'Create an account' })
    this.newUsername = this.createForm.getByLabel('User name')
    this.newPassword = this.createForm.getByLabel('Password')
    this.newRole = this.createForm.getByLabel('Role')
    this.createButton = this.createForm.getByRole('button', { name: 'Create account' })
    this.table = page.getByRole('region', { name: 'Accounts', exact: true }).getByRole('table')
    this.resetDialog = page.getByRole('dialog', { name: /^Reset the password of/ })
  }

  async open (): Promise<void> {
    await this.page.goto('/#/accounts')
  }

  async create ({ username, password }: Credentials, role: Role): Promise<void> {
    await this.newUsername.fill(username)
    await this.newPassword.fill(password)
    await this.newRole.selectOption({ label: ROLE_LABELS[role] })
    await this.createButton.click()
  }

  row (username: string): Locator {
    const name = new RegExp(`^${username.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\(you\\))?$`)
    return this.table.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name }) })
  }

  /** The line under an account's row that tells how its last change ended. */
  result (username: string): Locator {
    return this.table.getByRole('row', { name: `Result for ${username}` })
  }

  async changeRole (username: string, role: Role): Promise<void> {
    const row = this.row(username)
    await row.getByLabel(`Role of ${username}`).selectOption({ label: ROLE_LABELS[role] })
    await row.getByRole('button', { name: `Save role of ${username}` }).click()
  }

  async disable (username: string): Promise<void> {
    const row = this.row(username)
    await row.getByRole('button', { name: `Disable ${username}` }).click()
    await row.getByRole('group', { name: `Confirm disabling ${username}` }).getByRole('button', { name: 'Confirm' }).click()
  }

  async enable (username: string): Promise<void> {
    await this.row(username).getByRole('button', { name: `Enable ${username}` }).click()
  }

  async openResetPassword (username: string): Promise<void> {
    await this.row(username).getByRole('button', { name: `Reset password of ${username}` }).click()
  }
}
