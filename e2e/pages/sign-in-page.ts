import { expect, type Locator, type Page } from '@playwright/test'

export interface Credentials {
  username: string
  password: string
}

/** The page shown to anyone not signed in, whatever screen the address asks for. */
export class SignInPage {
  readonly page: Page
  readonly heading: Locator
  readonly username: Locator
  readonly password: Locator
  readonly signInButton: Locator
  readonly demoBox: Locator
  readonly useDemoButton: Locator
  readonly error: Locator
  readonly sessionEndedNotice: Locator

  constructor (page: Page) {
    this.page = page
    this.heading = page.getByRole('heading', { level: 1, name: 'Sign in' })
    this.username = page.getByLabel('User name')
    this.password = page.getByLabel('Password', { exact: true })
    this.signInButton = page.getByRole('button', { name: 'Sign in', exact: true })
    this.demoBox = page.getByRole('region', { name: 'Demo account' })
    this.useDemoButton = this.demoBox.getByRole('button', { name: 'Use demo account' })
    this.error = page.getByRole('alert')
    this.sessionEndedNotice = page.getByRole('status').filter({ hasText: 'Your session ended' })
  }

  /** Opens a screen of the dashboard; signed out, that shows this page at the same address. */
  async open (hash = '#/overview'): Promise<void> {
    await this.page.goto(`/${hash}`)
  }

  async signIn ({ username, password }: Credentials): Promise<void> {
    // Right after a sign-out the form may be drawn twice (the session is read again): typing is
    // repeated until both fields hold what was typed, as a person would see and type again.
    await expect(async () => {
      await this.username.fill(username)
      await this.password.fill(password)
      await expect(this.username).toHaveValue(username, { timeout: 500 })
      await expect(this.signInButton).toBeEnabled({ timeout: 500 })
    }).toPass({ timeout: 10_000 })
    await this.signInButton.click()
  }

  /** The credentials the demo box shows, read as a person would read them. */
  async demoCredentials (): Promise<Credentials> {
    const username = await this.demoBox.getByRole('definition').nth(0).innerText()
    const password = await this.demoBox.getByRole('definition').nth(1).innerText()
    return { username: username.trim(), password: password.trim() }
  }
}
