import { chromium } from '@playwright/test'
import type { AuditPage, Schedule, SessionPage } from '@em-console/shared/schemas'
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.ts'
import { expect, readInventoryAfresh, signInThroughApi, test } from '../fixtures.ts'
import { OverviewPage } from '../pages/overview-page.ts'
import { SessionsPage } from '../pages/sessions-page.ts'

// The admin's browser is in New York; the schedule runs on Tokyo's clock.
test.use({ timezoneId: 'America/New_York', locale: 'en-US' })

const FORMAT: Intl.DateTimeFormatOptions = { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }

test('the next scheduled run reads in the browser\'s time with the schedule\'s beside it; every time names its zone', async ({ overview, schedules, api }) => {
  const created = await api.post('/api/schedules', { name: `tokyo-${Date.now().toString(36)}`, cron: '0 2 * * *', timezone: 'Asia/Tokyo' })
  expect(created.status()).toBe(201)
  const schedule = await created.json() as Schedule
  try {
    const next = new Date(schedule.nextRunAt ?? '')
    const yours = new Intl.DateTimeFormat('en-US', { ...FORMAT, timeZone: 'America/New_York' }).format(next)
    const theirs = new Intl.DateTimeFormat('en-US', { ...FORMAT, timeZone: 'Asia/Tokyo' }).format(next)

    await overview.open()
    await expect(overview.nextRun).toContainText(`${yours} your time`)
    await expect(overview.nextRun).toContainText(`${theirs} in Asia/Tokyo`)

    await schedules.open()
    // The time in the schedule's zone, its zone named beneath it.
    await expect(schedules.row(schedule.name)).toContainText(`${theirs}Asia/Tokyo · in`)
  } finally {
    await api.delete(`/api/schedules/${schedule.id}`)
  }
})

test('the Sessions screen says its times are the browser\'s, and shows them so', async ({ page, sessions, api }) => {
  // The seeds' sessions, read fresh: a journey before this one in the worker may have logged
  // everyone out and had the inventory read since (the simulator is reset for each journey, the
  // server's inventory is not), and a refresh already under way may have begun before the reset.
  await readInventoryAfresh(api)
  const first = (await (await api.get('/api/sessions?limit=1')).json() as SessionPage).sessions[0]
  expect(first?.loginTime).toBeTruthy()
  await sessions.open()
  await expect(page.getByText('Times are your time (America/New_York).')).toBeVisible()
  const login = new Date(first?.loginTime ?? '')
  // With its year when that is not this one (a session of 31 December, on 1 January).
  const ofAnotherYear = (date: Date): boolean => date.toLocaleString('en-US', { year: 'numeric', timeZone: 'America/New_York' }) !== new Date().toLocaleString('en-US', { year: 'numeric', timeZone: 'America/New_York' })
  const yours = new Intl.DateTimeFormat('en-US', { ...(ofAnotherYear(login) ? { year: 'numeric' } : {}), month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'America/New_York' }).format(login)
  await expect(sessions.row(first?.deviceName ?? '')).toContainText(yours)
})

test('a time of another year says its year: last year\'s records do not read as this year\'s', async ({ page, history, accounts, api }) => {
  // The audit trail is kept for good and ended sessions 400 days: with the browser's clock a year
  // and a day on, this journey's sign-in is last year's, and its date alone would read as this year's.
  const latest = (await (await api.get('/api/audit?limit=1')).json() as AuditPage).items[0]
  expect(latest).toBeDefined()
  const year = new Intl.DateTimeFormat('en-US', { year: 'numeric', timeZone: 'America/New_York' }).format(new Date(latest?.startedAt ?? ''))
  await page.clock.setFixedTime(Date.now() + 366 * 86_400_000)
  await history.open()
  await expect(history.record(latest?.id ?? 0)).toContainText(`, ${year}, `)
  await accounts.open()
  await expect(accounts.row('demo')).toContainText(`, ${year}, `)
})

test('a browser zone the server does not know: the activity shows in UTC and says why, not "Could not load the activity"', async ({ page, overview, consoleErrors }) => {
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 400/)
  // The server's time zone data older than the browser's: it refuses the zone (400 naming it). The
  // page's own zone is sent as one no time zone data holds; UTC goes through as asked.
  let refused = 0
  await page.route(/\/api\/audit\/stats\?/, async (route) => {
    const url = new URL(route.request().url())
    if (url.searchParams.get('timezone') !== 'UTC') {
      url.searchParams.set('timezone', 'Mars/Olympus_Mons')
      refused++
    }
    await route.continue({ url: url.toString() })
  })
  await overview.open()
  await expect(overview.chartDays).toHaveCount(30)
  expect(refused).toBeGreaterThan(0)
  await expect(overview.activity).toContainText('UTC · Last 30 days')
  await expect(overview.activity.getByText('Days in UTC: the server does not know your time zone (America/New_York).')).toBeVisible()
  await expect(overview.activity.getByText('Could not load the activity')).toHaveCount(0)
})

test.describe('a browser whose zone changes', () => {
  // Set by the test itself (a context's own zone cannot be changed again).
  test.use({ timezoneId: undefined })

  test('when the browser\'s zone changes while the page is open (a laptop that travels), the activity is not shown in the old zone\'s days', async ({ page, overview, shell }) => {
    await overview.open()
    await expect(overview.chartDays).toHaveCount(30)
    // Tokyo's counts are held back until the card has been looked at.
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => { release = resolve })
    const asked: string[] = []
    await page.route(/\/api\/audit\/stats\?/, async (route) => {
      const zone = new URL(route.request().url()).searchParams.get('timezone') ?? ''
      asked.push(zone)
      if (zone === 'Asia/Tokyo') await held
      await route.continue()
    })
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Emulation.setTimezoneOverride', { timezoneId: 'Asia/Tokyo' })
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('Asia/Tokyo')
    await shell.nav.getByRole('link', { name: 'History' }).click()
    await expect(shell.heading).toHaveText('History')
    await shell.nav.getByRole('link', { name: 'Overview' }).click()
    // The first zone's counts, kept under the same key, showed as the card's, and Tokyo's were not asked for.
    await expect(overview.activity.getByText('Loading activity…')).toBeVisible()
    await expect(overview.chartDays).toHaveCount(0)
    await expect.poll(() => asked).toContain('Asia/Tokyo')
    release()
    await expect(overview.chartDays).toHaveCount(30)
  })
})

test.describe('a machine without a readable time zone', () => {
  // The browser's own zone, not the file's New York.
  test.use({ timezoneId: undefined })

  test('a browser that cannot read its machine\'s time zone shows the activity and the times in UTC, as its clock reads them', async ({ baseURL, demo }) => {
    // A machine whose TZ names no zone (some kiosks and containers): Chromium calls its zone
    // "Etc/Unknown", which neither it nor the server can format with, and its clock reads UTC.
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, env: { ...process.env, TZ: 'Nowhere/Unknown' } })
    try {
      const context = await browser.newContext({ baseURL, locale: 'en-US' })
      await signInThroughApi(context.request, demo)
      const page = await context.newPage()
      const overview = new OverviewPage(page)
      await overview.open()
      expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('Etc/Unknown')
      await expect(overview.chartDays).toHaveCount(30)
      await expect(overview.activity.getByText('Could not load the activity')).toHaveCount(0)
      await new SessionsPage(page).open()
      await expect(page.getByText('Times are your time (UTC).')).toBeVisible()
    } finally {
      await browser.close()
    }
  })
})
