import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test as base, expect, request, type APIRequestContext } from '@playwright/test'
import type { Health } from '@em-console/shared/schemas'
import { AppShell } from './pages/app-shell.ts'
import { DevicesPage } from './pages/devices-page.ts'
import { HistoryPage } from './pages/history-page.ts'
import { OverviewPage } from './pages/overview-page.ts'
import { UsersPage } from './pages/users-page.ts'

const SCREENSHOTS = fileURLToPath(new URL('.output/screenshots/', import.meta.url))

/** The fault switch of the simulator inside the demo-mode server (its own HTTPS port). */
export class Simulator {
  constructor (private readonly admin: APIRequestContext) {}

  async setFault (mode: 'none' | 'http-503' | 'reset' | 'hang' | 'malformed' | 'empty'): Promise<void> {
    const response = await this.admin.put('/__simulator/faults', { data: { mode } })
    expect(response.ok(), await response.text()).toBe(true)
  }

  /** Back to the seed: jdoe on SEP001122334455, no faults. */
  async reset (): Promise<void> {
    const response = await this.admin.post('/__simulator/reset')
    expect(response.ok(), await response.text()).toBe(true)
  }
}

/** Console errors fail the test, except those a test says it expects (e.g. a 502 it provoked). */
export class ConsoleErrors {
  readonly messages: string[] = []
  private readonly allowed: RegExp[] = []

  allow (pattern: RegExp): void {
    this.allowed.push(pattern)
  }

  unexpected (): string[] {
    return this.messages.filter((message) => !this.allowed.some((pattern) => pattern.test(message)))
  }
}

interface Fixtures {
  shell: AppShell
  overview: OverviewPage
  devices: DevicesPage
  users: UsersPage
  history: HistoryPage
  simulator: Simulator
  consoleErrors: ConsoleErrors
  /** Saves a full-page screenshot into the test's output folder and e2e/.output/screenshots. */
  saveScreenshot: (name: string) => Promise<void>
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function needs from this pattern
  baseURL: async ({}, use) => {
    const url = process.env.E2E_BASE_URL
    if (url === undefined) throw new Error('E2E_BASE_URL is not set: global-setup.ts did not run')
    await use(url)
  },
  shell: async ({ page }, use) => { await use(new AppShell(page)) },
  overview: async ({ page }, use) => { await use(new OverviewPage(page)) },
  devices: async ({ page }, use) => { await use(new DevicesPage(page)) },
  users: async ({ page }, use) => { await use(new UsersPage(page)) },
  history: async ({ page }, use) => { await use(new HistoryPage(page)) },
  simulator: [async ({ baseURL }, use) => {
    const health = await (await fetch(`${baseURL ?? ''}/api/health`)).json() as Health
    // The simulator's certificate is self-signed: trust it for this admin context only.
    const admin = await request.newContext({ baseURL: `https://${health.cucm.host}:${health.cucm.port}`, ignoreHTTPSErrors: true })
    const simulator = new Simulator(admin)
    // Every journey starts from the seed, whatever the one before it changed.
    await simulator.reset()
    await use(simulator)
    await simulator.reset()
    await admin.dispose()
  }, { auto: true }],
  consoleErrors: [async ({ page }, use) => {
    const errors = new ConsoleErrors()
    page.on('console', (message) => { if (message.type() === 'error') errors.messages.push(message.text()) })
    page.on('pageerror', (error) => { errors.messages.push(`Uncaught: ${error.message}`) })
    await use(errors)
    expect(errors.unexpected(), 'console errors').toEqual([])
  }, { auto: true }],
  saveScreenshot: async ({ page }, use, testInfo) => {
    await use(async (name) => {
      // test-results/ is emptied by every run; .output/screenshots keeps the last picture of each screen.
      const buffer = await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true })
      mkdirSync(SCREENSHOTS, { recursive: true })
      writeFileSync(join(SCREENSHOTS, `${name}.png`), buffer)
    })
  }
})

export { expect }
