import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test as base, expect, request, type APIRequestContext, type APIResponse, type Locator } from '@playwright/test'
import type { InventoryStatus, Session, SignInInfo } from '@em-console/shared/schemas'
import { startLabSimulator, type LabSimulator } from './lab-simulator.ts'
import { startTestServer, type TestServer } from './test-server.ts'
import { AccountsPage } from './pages/accounts-page.ts'
import { AppShell } from './pages/app-shell.ts'
import { ClustersPage } from './pages/clusters-page.ts'
import { DevicesPage } from './pages/devices-page.ts'
import { HistoryPage } from './pages/history-page.ts'
import { OverviewPage } from './pages/overview-page.ts'
import { RunsPage } from './pages/runs-page.ts'
import { SchedulesPage } from './pages/schedules-page.ts'
import { SessionsPage } from './pages/sessions-page.ts'
import { SettingsPage } from './pages/settings-page.ts'
import { SignInPage, type Credentials } from './pages/sign-in-page.ts'
import { UsersPage } from './pages/users-page.ts'

const SCREENSHOTS = fileURLToPath(new URL('.output/screenshots/', import.meta.url))

// The demo simulators' application user (they print it at start; `npm run simulator` too).
export const DEMO_APP_USER = 'emapi-app'
export const DEMO_APP_PASSWORD = 'Demo-Passw0rd!'

/** The fault switch of HQ's simulator inside the demo-mode server (its own HTTPS port); reset() resets the branch's too. */
export class Simulator {
  constructor (private readonly admin: APIRequestContext, private readonly others: readonly APIRequestContext[] = []) {}

  async setFault (mode: 'none' | 'http-503' | 'reset' | 'reset-after' | 'hang' | 'malformed' | 'empty'): Promise<void> {
    const response = await this.admin.put('/__simulator/faults', { data: { mode } })
    expect(response.ok(), await response.text()).toBe(true)
  }

  /** HQ's AXL side answers with this fault (`unauthorized`: HTTP 401), until reset(). */
  async setAxlFault (mode: 'none' | 'unauthorized'): Promise<void> {
    const response = await this.admin.put('/__simulator/axl/faults', { data: { mode } })
    expect(response.ok(), await response.text()).toBe(true)
  }

  /**
   * HQ's EMAPI answers of this kind (`changes`: logins and logouts) are held until hold('none') or
   * reset(): a bulk run stays under way for as long as a journey watches (and cancels) it.
   */
  async hold (kind: 'none' | 'all' | 'changes' | 'queries'): Promise<void> {
    const response = await this.admin.put('/__simulator/faults', { data: { hold: kind } })
    expect(response.ok(), await response.text()).toBe(true)
  }

  /** CUCM's lag (PROTOCOL.md §5) on HQ's simulator, until reset(): EM's status cache, a logout-all's drop. */
  async setLag (lag: { statusCacheSeconds?: number, logoutAllSeconds?: number }): Promise<void> {
    const response = await this.admin.put('/__simulator/policy', { data: lag })
    expect(response.ok(), await response.text()).toBe(true)
  }

  /** Back to the seeds: jdoe on SEP001122334455, the branch's users on their phones, no faults. */
  async reset (): Promise<void> {
    for (const simulator of [this.admin, ...this.others]) {
      const response = await simulator.post('/__simulator/reset')
      expect(response.ok(), await response.text()).toBe(true)
    }
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

/**
 * The REST API as the signed-in browser calls it: `page.request` shares the page's cookies, so
 * these calls run in the same session, and state-changing ones carry its CSRF token.
 */
export class Api {
  constructor (private readonly context: APIRequestContext) {}

  private async headers (method: string): Promise<Record<string, string>> {
    const headers: Record<string, string> = { 'x-requested-by': 'em-console-e2e' }
    if (method === 'GET') return headers
    const session = await this.context.get('/api/session')
    if (session.ok()) headers['x-csrf-token'] = (await session.json() as Session).csrfToken
    return headers
  }

  async get (path: string): Promise<APIResponse> {
    return await this.context.get(path, { headers: await this.headers('GET') })
  }

  async post (path: string, data?: unknown): Promise<APIResponse> {
    return await this.context.post(path, { headers: await this.headers('POST'), data })
  }

  async put (path: string, data: unknown): Promise<APIResponse> {
    return await this.context.put(path, { headers: await this.headers('PUT'), data })
  }

  async patch (path: string, data: unknown): Promise<APIResponse> {
    return await this.context.patch(path, { headers: await this.headers('PATCH'), data })
  }

  async delete (path: string): Promise<APIResponse> {
    return await this.context.delete(path, { headers: await this.headers('DELETE') })
  }
}

/** `count` device names no simulator knows, numbered after `prefix` (four hex digits): SEP{prefix}00000000, SEP{prefix}00000001, ... */
export function numberedDevices (count: number, prefix: string): string[] {
  return Array.from({ length: count }, (_, i) => `SEP${prefix}${i.toString(16).toUpperCase().padStart(8, '0')}`)
}

/**
 * Pastes a long list into `box` at once, as a person's paste does (Playwright's fill of a
 * multi-line value takes time quadratic in its lines: 8 s for 2,000, past a test's limit for 5,000).
 */
export async function paste (box: Locator, text: string): Promise<void> {
  await box.evaluate((element, value) => {
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set?.call(element, value)
    element.dispatchEvent(new Event('input', { bubbles: true }))
  }, text)
}

/**
 * Types `text` at the end of `box` with the page's clock held (page.clock.install() before the
 * page loads): a screen reads a long list once typing pauses, so it has not read this yet.
 */
export async function typeUnread (box: Locator, text: string): Promise<void> {
  await box.page().clock.pauseAt(Date.now() + 60_000)
  await box.press('Control+End')
  await box.pressSequentially(text)
}

/** Signs in through the API in the page's browser context, as a script would (the cookie lands in the browser). */
export async function signInThroughApi (context: APIRequestContext, credentials: Credentials): Promise<Session> {
  const response = await context.post('/api/session', { data: credentials })
  expect(response.status(), await response.text()).toBe(200)
  return await response.json() as Session
}

/**
 * Reads the simulators' clusters into the inventory afresh: a reading whose sessions were read after
 * `since` (by default now, after the journey's reset of the simulators). A refresh waited for
 * (POST /api/inventory/refresh?wait=true) may be one already under way, begun before the reset (the
 * journey before's change asks for one), which lists the simulators' state of then: it is asked
 * again until its reading is of after `since`, with a deadline for a loaded machine.
 */
export async function readInventoryAfresh (api: Api, since = new Date(), clusters: readonly string[] = ['hq', 'branch']): Promise<InventoryStatus> {
  let status: InventoryStatus | undefined
  await expect.poll(async () => {
    const response = await api.post('/api/inventory/refresh?wait=true')
    expect(response.status(), await response.text()).toBe(200)
    status = await response.json() as InventoryStatus
    return clusters.filter((id) => (status?.clusters.find((c) => c.cluster === id)?.asOf ?? '') < since.toISOString())
  }, { message: 'clusters whose inventory was read before the reset', timeout: 30_000 }).toEqual([])
  if (status === undefined) throw new Error('no inventory status')
  return status
}

interface Options {
  /**
   * Who each test starts signed in as: the demo admin (default), other credentials, or nobody
   * (`test.use({ signedInAs: null })`) for journeys that sign in through the page themselves.
   */
  signedInAs: 'demo' | Credentials | null
}

interface Fixtures {
  /** The demo admin's credentials, as the server publishes them to the sign-in page in demo mode. */
  demo: Credentials
  /** The session the test started with (see signedInAs), or null. */
  session: Session | null
  api: Api
  signIn: SignInPage
  accounts: AccountsPage
  shell: AppShell
  overview: OverviewPage
  devices: DevicesPage
  users: UsersPage
  history: HistoryPage
  runs: RunsPage
  schedules: SchedulesPage
  sessions: SessionsPage
  settings: SettingsPage
  clusters: ClustersPage
  simulator: Simulator
  consoleErrors: ConsoleErrors
  /** Saves a full-page screenshot into the test's output folder and e2e/.output/screenshots. */
  saveScreenshot: (name: string) => Promise<void>
}

interface WorkerFixtures {
  /** This worker's own demo-mode server, database and simulators: workers share nothing. */
  server: TestServer
  /** A third CUCM (its own simulator process), started for the journeys that add a cluster. */
  lab: LabSimulator
}

export const test = base.extend<Fixtures & Options, WorkerFixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function needs from this pattern
  server: [async ({}, use) => {
    const server = await startTestServer()
    await use(server)
    await server.stop()
  }, { scope: 'worker', timeout: 60_000 }],
  // eslint-disable-next-line no-empty-pattern -- as for server
  lab: [async ({}, use) => {
    const lab = await startLabSimulator()
    await use(lab)
    await lab.stop()
  }, { scope: 'worker' }],
  signedInAs: ['demo', { option: true }],
  baseURL: async ({ server }, use) => { await use(server.baseUrl) },
  demo: async ({ baseURL }, use) => {
    const info = await (await fetch(`${baseURL ?? ''}/api/session/info`)).json() as SignInInfo
    if (info.demoCredentials === undefined) throw new Error('The server publishes no demo credentials: is it in demo mode?')
    await use(info.demoCredentials)
  },
  // Auto: every journey starts signed in (one sign-in per test, through the API, which is fast and
  // leaves the sign-in page itself to the journeys in session.spec.ts).
  session: [async ({ page, signedInAs, demo }, use) => {
    if (signedInAs === null) {
      await use(null)
      return
    }
    await use(await signInThroughApi(page.request, signedInAs === 'demo' ? demo : signedInAs))
  }, { auto: true }],
  api: async ({ page }, use) => { await use(new Api(page.request)) },
  signIn: async ({ page }, use) => { await use(new SignInPage(page)) },
  accounts: async ({ page }, use) => { await use(new AccountsPage(page)) },
  shell: async ({ page }, use) => { await use(new AppShell(page)) },
  overview: async ({ page }, use) => { await use(new OverviewPage(page)) },
  devices: async ({ page }, use) => { await use(new DevicesPage(page)) },
  users: async ({ page }, use) => { await use(new UsersPage(page)) },
  history: async ({ page }, use) => { await use(new HistoryPage(page)) },
  runs: async ({ page }, use) => { await use(new RunsPage(page)) },
  schedules: async ({ page }, use) => { await use(new SchedulesPage(page)) },
  sessions: async ({ page }, use) => { await use(new SessionsPage(page)) },
  settings: async ({ page }, use) => { await use(new SettingsPage(page)) },
  clusters: async ({ page }, use) => { await use(new ClustersPage(page)) },
  simulator: [async ({ server }, use) => {
    // The simulators' certificates are self-signed: trust them for these admin contexts only. A
    // connection each call: a kept-alive one the simulator closes as idle (5 s) just as the reset
    // after a longer journey reuses it failed that journey with ECONNRESET.
    const [admin, ...others] = await Promise.all(server.simulatorUrls.map(async (baseURL) => await request.newContext({ baseURL, ignoreHTTPSErrors: true, extraHTTPHeaders: { connection: 'close' } })))
    if (admin === undefined) throw new Error('no simulator')
    const simulator = new Simulator(admin, others)
    // Every journey starts from the seeds, whatever the one before it changed.
    await simulator.reset()
    await use(simulator)
    await simulator.reset()
    await Promise.all([admin, ...others].map(async (context) => { await context.dispose() }))
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
