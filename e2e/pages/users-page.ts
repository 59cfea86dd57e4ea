import type { Locator, Page } from '@playwright/test'

export class UsersPage {
  readonly page: Page
  readonly userInput: Locator
  readonly lookUpButton: Locator
  readonly devicesCard: Locator
  readonly profilesCard: Locator

  constructor (page: Page) {
    this.page = page
    const lookup = page.getByRole('region', { name: 'Look up a user' })
    this.userInput = lookup.getByLabel('User ID')
    this.lookUpButton = lookup.getByRole('button', { name: 'Look up' })
    this.devicesCard = page.getByRole('region', { name: 'Logged in on' })
    this.profilesCard = page.getByRole('region', { name: 'Device profiles' })
  }

  async open (): Promise<void> {
    await this.page.goto('/#/users')
  }

  async lookUp (userId: string): Promise<void> {
    await this.userInput.fill(userId)
    await this.lookUpButton.click()
  }

  loginForm (userId: string): Locator {
    return this.page.getByRole('region', { name: `Log ${userId} in to a device` })
  }

  async logIn (userId: string, options: { device: string, profile: string, minutes?: number }): Promise<void> {
    const form = this.loginForm(userId)
    await form.getByLabel('Device', { exact: true }).fill(options.device)
    const profile = form.getByLabel('Device profile')
    // The profiles arrive after the user ID settles; pick only once the option exists.
    await profile.locator('option', { hasText: options.profile }).waitFor({ state: 'attached' })
    await profile.selectOption(options.profile)
    if (options.minutes !== undefined) await form.getByLabel('Minutes until automatic logout').fill(String(options.minutes))
    await form.getByRole('button', { name: 'Log in' }).click()
  }
}
