import { chromium } from '@playwright/test'
import type { Schedule, SessionPage } from '@em-console/shared/schemas'
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.ts'
import { expect, signInThroughApi, test } from '../fixtures.ts'
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
  // server's inventory is not).
  expect((await api.post('/api/inventory/refresh?wait=true')).status()).toBe(200)
  const first = (await (await api.get('/api/sessions?limit=1')).json() as SessionPage).sessions[0]
  expect(first?.loginTime).toBeTruthy()
  await sessions.open()
  await expect(page.getByText('Times are your time (America/New_York).')).toBeVisible()
  const yours = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'America/New_York' }).format(new Date(first?.loginTime ?? ''))
  await expect(sessions.row(first?.deviceName ?? '')).toContainText(yours)
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
