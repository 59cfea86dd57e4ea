import { readFile } from 'node:fs/promises'
import type { AuditPage, SessionHistoryPage, SessionPage } from '@em-console/shared/schemas'
import type { Locator } from '@playwright/test'
import { expect, readInventoryAfresh, test } from '../fixtures.ts'
import { expectTableWhole } from '../layout.ts'

test('an admin filters the history, opens a record and exports the filter as CSV', async ({ page, history, api, saveScreenshot }) => {
  // Some activity, made through the API (trigger "api") in the test's session, so this journey stands alone.
  expect((await api.post('/api/devices/SEP001122334455/logout')).ok()).toBe(true)
  expect((await api.post('/api/devices/SEP001122334455/logout')).ok()).toBe(true)
  expect((await api.get('/api/devices/SEP00AABBCCDDEE')).ok()).toBe(true)

  await history.open()
  await expect(history.rows().first()).toBeVisible()
  await history.action.selectOption({ label: 'Log out' })
  await history.device.fill('SEP001122334455')
  await history.applyButton.click()
  await expect(page).toHaveURL(/action=logout/)
  // How many records the filter matches in all, not only on this page (GET /api/audit's total).
  await expect(page.getByRole('status').filter({ hasText: /^[\d,]+ records match these filters$/ })).toBeVisible()

  // The filtered table comes with its own request, and until then the table before it stays (its
  // total under the filters' words): the rows are waited for as a whole, not taken as they stand.
  const rows = history.rows()
  await expect(rows.filter({ hasNotText: 'Log out' })).toHaveCount(0)
  await expect(rows.filter({ hasText: 'Device look-up' })).toHaveCount(0)
  await expect(rows.first()).toContainText('SEP001122334455')
  await expect(rows.filter({ hasText: 'Already logged out' }).first()).toBeVisible()

  // A To before From is said under To, in words, and never asked of the server, not even when
  // another filter is chosen meanwhile.
  const backwards: string[] = []
  const watch = (request: { url: () => string }): void => {
    const url = new URL(request.url())
    if (url.pathname === '/api/audit' && url.searchParams.has('from') && url.searchParams.has('to')) backwards.push(url.search)
  }
  page.on('request', watch)
  await history.from.fill('2026-12-03')
  await history.to.fill('2026-12-01')
  await expect(history.to).toHaveAttribute('aria-invalid', 'true')
  await expect(history.filters.getByRole('alert')).toHaveText('To: a day on or after From.')
  await expect(history.applyButton).toBeDisabled()
  await history.action.selectOption({ label: 'Log in' })
  await expect(history.filters.getByRole('alert')).toHaveText('To: a day on or after From.')
  page.off('request', watch)
  expect(backwards, 'no request with both days').toEqual([])
  await history.action.selectOption({ label: 'Log out' })
  await history.from.fill('')
  await history.to.fill('')
  await expect(history.filters.getByRole('alert')).toHaveCount(0)

  // The actor of every action is the signed-in user.
  await expect(rows.first()).toContainText('demo')
  await history.openRecord(rows.first())
  await expect(history.detail.getByRole('heading', { name: /Audit record #\d+/ })).toBeVisible()
  await expect(history.detail).toContainText('demo via API')
  await expect(history.detail.getByLabel('Request XML')).toContainText('SEP001122334455')
  await expect(history.detail.getByLabel('Response body')).not.toBeEmpty()
  await saveScreenshot('history')

  await expect(history.exportLink).toHaveAttribute('href', /action=logout/)
  const downloadPromise = page.waitForEvent('download')
  await history.exportLink.click()
  const download = await downloadPromise
  expect(download.suggestedFilename()).toMatch(/\.csv$/)
  const csv = await readFile(await download.path(), 'utf8')
  const lines = csv.trim().split(/\r?\n/)
  expect(lines.length).toBeGreaterThanOrEqual(3)
  expect(lines[0]).toMatch(/action/i)
  for (const line of lines.slice(1)) {
    expect(line).toContain('SEP001122334455')
    expect(line).toContain('logout')
    expect(line).not.toContain('device-query')
  }

  // Clear, from the keyboard: every filter goes, and the focus stays in the filters, on the first
  // field, ready for the next search (it fell to the page's main area when Clear was disabled).
  await history.clearButton.focus()
  await page.keyboard.press('Enter')
  await expect(page).not.toHaveURL(/action=/)
  await expect(history.device).toHaveValue('')
  await expect(history.clearButton).toBeDisabled()
  await expect(history.search).toBeFocused()
  // A choice made from the keyboard applies at once, and the focus stays on it (the view drawn again for the new filter).
  await history.outcome.focus()
  await page.keyboard.press('ArrowDown')
  await expect(page).toHaveURL(/outcome=/)
  await expect(history.outcome).toBeFocused()
})

test('history pages are addresses: page 2 survives a reload, Back goes to page 1, as 100 rows per page do; Escape closes a record', async ({ page, history, api }) => {
  // More than a page (25) of look-ups of one device, with its name as the text to search for: a
  // name no other journey of this worker's server looks up, so its records are this journey's alone.
  const device = 'SEP00E2E00000A1'
  for (let i = 0; i < 27; i++) expect((await api.get(`/api/devices/${device}`)).ok()).toBe(true)
  const matching = (await (await api.get(`/api/audit?q=${device}&limit=1`)).json() as AuditPage).total
  expect(matching).toBeGreaterThan(25)
  expect(matching).toBeLessThanOrEqual(100)

  await history.open()
  await history.search.fill(device)
  await history.applyButton.click()
  await expect(page).toHaveURL(new RegExp(`q=${device}`))
  // The searched page, not the whole trail's before it (whose first rows are these look-ups too):
  // its own count, under the filters' words.
  await expect(page.getByRole('status').filter({ hasText: /match these filters$/ })).toHaveText(`${matching} records match these filters`)
  await expect(history.rows()).toHaveCount(25)
  for (const row of await history.rows().all()) await expect(row).toContainText(device)
  // Times say whose clock they follow.
  await expect(history.table.getByRole('columnheader', { name: 'When (your time)' })).toBeVisible()

  // Rows are told apart by the record each opens: look-ups made within one second read the same.
  const firstRecord = history.rows().first().getByRole('button', { name: /open audit record \d+$/ })
  const firstOfPage1 = await firstRecord.getAttribute('aria-label') ?? ''
  await history.olderButton.click()
  await expect(history.pageNumber).toHaveText('Page 2')
  await expect(firstRecord).not.toHaveAccessibleName(firstOfPage1)
  const firstOfPage2 = await firstRecord.getAttribute('aria-label') ?? ''

  await page.reload()
  await expect(history.pageNumber).toHaveText('Page 2')
  await expect(firstRecord).toHaveAccessibleName(firstOfPage2)
  await expect(history.search).toHaveValue(device)

  await page.goBack()
  await expect(history.pageNumber).toHaveText('Page 1')
  await expect(firstRecord).toHaveAccessibleName(firstOfPage1)

  // A record opens beside the table (or, on a phone, where the person is looking) and Escape closes it.
  const opener = history.rows().nth(2).getByRole('button', { name: /open audit record \d+$/ })
  await opener.click()
  await expect(history.detail).toBeVisible()
  await expect(history.detail).toBeInViewport()
  await expect(history.detail.getByText(/^Started/)).toBeVisible()
  await expect(history.detail).toContainText(/(UTC|GMT)/)
  await page.keyboard.press('Escape')
  await expect(history.detail).toHaveCount(0)
  await expect(opener).toBeFocused()

  // More rows per page, from page 2: the first page of 100 holds every look-up's records (one per
  // cluster asked); the choice is in the address, so it survives a reload, and Back and Forward
  // go between the sizes.
  await history.olderButton.click()
  await expect(history.pageNumber).toHaveText('Page 2')
  await expect(history.rowsPerPage).toHaveValue('25')
  await history.rowsPerPage.selectOption('100')
  await expect(page).toHaveURL(/rows=100/)
  await expect(history.pageNumber).toHaveText('Page 1')
  await expect(history.rows()).toHaveCount(matching)
  await expect(history.olderButton).toBeDisabled()
  await page.reload()
  await expect(history.rowsPerPage).toHaveValue('100')
  await expect(history.rows()).toHaveCount(matching)
  await expect(history.search).toHaveValue(device)
  await page.goBack()
  await expect(history.rowsPerPage).toHaveValue('25')
  await expect(history.pageNumber).toHaveText('Page 2')
  await expect(history.rows()).toHaveCount(Math.min(25, matching - 25))
  await page.goForward()
  await expect(history.rowsPerPage).toHaveValue('100')
  await expect(history.rows()).toHaveCount(matching)
})

test('on a 1,024 px laptop the audit trail beside an open record reads whole: each row\'s time, action, outcome and device', async ({ page, history, api }) => {
  expect((await api.post('/api/devices/SEP001122334455/logout')).ok()).toBe(true)
  await page.setViewportSize({ width: 1024, height: 768 })
  await history.open()
  const row = history.rows().filter({ hasText: 'SEP001122334455' }).first()
  await history.openRecord(row)
  await expect(history.detail.getByRole('term').first()).toBeVisible()
  // The record and the trail side by side, the trail without a sideways scroll of its own.
  const [trail, detail] = [await page.getByRole('region', { name: 'Audit trail' }).boundingBox(), await history.detail.boundingBox()]
  expect((trail?.x ?? 1024) + (trail?.width ?? 0)).toBeLessThanOrEqual(detail?.x ?? 0)
  await expectTableWhole(history.table, 'The audit trail beside a record')
  await expect(row.getByText('SEP001122334455').filter({ visible: true })).toBeInViewport({ ratio: 1 })
})

test('on a 1,024 px laptop, and from 900 to 1,040 px, the whole audit trail shows without a sideways scroll', async ({ page, history, api }) => {
  // Its widest rows: a device looked up on each cluster (a Cluster column, "Branch (demo)") and "Already logged out".
  for (let i = 0; i < 2; i++) expect((await api.post('/api/devices/SEP001122334455/logout')).ok()).toBe(true)
  await history.open()
  await expect(history.rows().filter({ hasText: 'Already logged out' }).first()).toBeVisible()
  await expect(history.table.getByRole('columnheader', { name: 'Cluster' })).toBeVisible()
  // It needed about 940 px, and had 808 to 940 from 900 to 1,040 px (its narrow layout started below 800).
  for (const width of [900, 930, 961, 1000, 1024, 1040]) {
    await page.setViewportSize({ width, height: 800 })
    await expect(history.table.getByRole('columnheader', { name: 'Device' })).toBeVisible()
    await expectTableWhole(history.table, `The audit trail at ${width} px`)
  }
})

test('an open record\'s empty fields show the same plain, muted dash: Devices as well as the others', async ({ page, history }) => {
  const look = async (dash: Locator): Promise<string> => await dash.evaluate((element) => {
    const style = getComputedStyle(element)
    return `${style.fontFamily}; ${style.color}`
  })
  await history.open()
  // This journey's sign-in: no device (Devices empty), as the table's empty Device cell says.
  await history.action.selectOption({ label: 'Sign-in' })
  const row = history.rows().first()
  // The filtered table comes with its own request: until then the first row may be another record's.
  await expect(row).toContainText('Sign-in')
  const tableDash = await look(row.getByRole('cell').getByText('—', { exact: true }).first())
  await history.openRecord(row)
  const devices = history.detail.locator('dl > div').filter({ has: page.getByRole('term').getByText('Devices', { exact: true }) }).getByRole('definition')
  await expect(devices).toHaveText('—')
  // It was monospace, in the text's colour: another sign than the table's dash.
  expect(await look(devices.getByText('—', { exact: true }))).toBe(tableDash)
})

test('"Who logged jdoe out?": History by user finds the logout of all users, and its record lists the sessions it ended of that user', async ({ page, history, api, simulator }) => {
  // The inventory sees jdoe on SEP001122334455, then that session gone after the logout of all users: it credits that record.
  // The simulator's reset logs jdoe in again under the seed's login time, so a session an earlier
  // journey ended unseen by the inventory looks to it like this one going on, and is credited to that
  // earlier logout (the first after it was seen). The inventory first sees jdoe's session end, then
  // begin again: each read afresh (a refresh waited for may be one begun before the change it follows).
  const jdoeListed = async (): Promise<boolean> => {
    const listed = await (await api.get('/api/sessions?cluster=hq&user=jdoe')).json() as SessionPage
    return listed.sessions.some((s) => s.deviceName === 'SEP001122334455')
  }
  expect((await api.post('/api/devices/SEP001122334455/logout?cluster=hq')).status()).toBe(200)
  await readInventoryAfresh(api)
  expect(await jdoeListed()).toBe(false)
  await simulator.reset()
  await readInventoryAfresh(api)
  expect(await jdoeListed()).toBe(true)
  const answer = await api.post('/api/logout-all?cluster=hq', { confirm: 'LOG OUT ALL' })
  expect(answer.status()).toBe(200)
  const { auditId } = await answer.json() as { auditId: number }
  await readInventoryAfresh(api)
  expect(await jdoeListed()).toBe(false)
  const lastEnded = await (await api.get('/api/sessions/history?cluster=hq&device=SEP001122334455&user=jdoe&exact=true&limit=1')).json() as SessionHistoryPage
  expect(lastEnded.sessions[0], 'how the inventory says the session ended').toMatchObject({ endedBy: 'em-console', auditId })

  await history.open()
  await history.action.selectOption({ label: 'Log out all' })
  await history.user.fill('jdoe')
  await history.applyButton.click()
  await history.openRecord(history.record(auditId))
  // The record names no one (EMAPI's logoutAll does not): its detail says whom it logged out.
  await expect(history.detail.getByRole('heading', { name: 'Sessions it ended of users starting "jdoe"' })).toBeVisible()
  const ended = history.detail.getByRole('table', { name: 'Sessions it ended' })
  await expect(ended.getByRole('row').filter({ hasText: 'SEP001122334455' })).toContainText('jdoe')
  for (const row of await ended.locator('tbody tr').all()) await expect(row).toContainText('jdoe')
  const csv = history.detail.getByRole('link', { name: 'Every one as CSV' })
  const download = page.waitForEvent('download')
  await csv.click()
  const lines = (await readFile(await (await download).path(), 'utf8')).replace(/^\uFEFF/, '').trim().split('\r\n')
  expect(lines.slice(1).every((line) => line.includes(`,${auditId},`) && line.includes(',jdoe,'))).toBe(true)
  expect(lines.length).toBeGreaterThan(1)
})
