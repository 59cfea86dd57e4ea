import type { Locator } from '@playwright/test'
import type { ActionResult, Cluster, RunStarted, SessionPage } from '@em-console/shared/schemas'
import { expect, readInventoryAfresh, test } from '../fixtures.ts'
import { expectTableWhole } from '../layout.ts'

// What an administrator sees at a glance: text that reads, lines that line up, nothing squeezed.

async function box (locator: Locator): Promise<{ x: number, y: number, width: number, height: number }> {
  const found = await locator.boundingBox()
  expect(found, 'the element is laid out').not.toBeNull()
  return found ?? { x: 0, y: 0, width: 0, height: 0 }
}

test('the Overview says when each cluster\'s inventory was read apart, not as one run-on line', async ({ page, overview }) => {
  await page.setViewportSize({ width: 1280, height: 860 })
  await overview.open()
  // "HQ (demo): As of just now" and "Branch (demo): As of just now" are two statements, not one run-on line.
  const card = page.getByRole('region', { name: 'Logged in now' })
  const asOf = card.locator('p').filter({ hasText: /^HQ \(demo\): As of/ })
  const hq = asOf.locator(':scope > span').filter({ hasText: /^HQ \(demo\):/ })
  const branch = asOf.locator(':scope > span').filter({ hasText: /^Branch \(demo\):/ })
  const [first, second] = [await box(hq), await box(branch)]
  // At 1280 px both fit on one line, with room between them.
  expect(Math.abs(first.y - second.y), 'both on one line').toBeLessThan(2)
  expect(second.x - (first.x + first.width), 'the space between the clusters\' "As of"').toBeGreaterThanOrEqual(8)
})

test('the activity chart\'s days read at any width, and its busiest day says what it counts', async ({ page, overview }) => {
  await page.setViewportSize({ width: 1280, height: 860 })
  await overview.open()
  // The day labels are text of the page's size: not stretched with the drawing to the card's width.
  const activity = overview.activity
  // The last day's label (it was an SVG <text> of the drawing, scaled with it), in pixels on screen.
  const figure = activity.locator('figure')
  await expect(figure).toBeVisible()
  const labelHeight = async (): Promise<number> => await figure.evaluate((element) => {
    const labels = [...element.querySelectorAll('text, span')].filter((label) => /^[A-Z][a-z]{2} \d{1,2}$/.test(label.textContent ?? ''))
    return labels.at(-1)?.getBoundingClientRect().height ?? 0
  })
  const wide = await labelHeight()
  expect(wide, 'the chart\'s last day label at 1280 px').toBeLessThanOrEqual(20)
  expect(wide).toBeGreaterThanOrEqual(10)

  await page.setViewportSize({ width: 360, height: 780 })
  expect(await labelHeight(), 'the chart\'s last day label at 360 px').toBeGreaterThanOrEqual(10)

  // The busiest day is a count of actions, or says there was none.
  await expect(activity.getByText(/^(busiest day: [\d,]+ actions?|Nothing recorded in these \d+ days)$/)).toBeVisible()
})

test('the Sessions table\'s headers share one font, whatever their column shows', async ({ page, sessions }) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await sessions.open()
  await expect(sessions.rows().first()).toBeVisible()
  const font = async (name: string): Promise<string> => await sessions.table.getByRole('columnheader', { name, exact: true }).evaluate((element) => {
    const style = getComputedStyle(element)
    return `${style.fontFamily} ${style.fontSize}`
  })
  // The Device column's cells are monospace; its header is a header like the others.
  expect(await font('Device')).toBe(await font('User'))
})

test('on a laptop the Sessions table shows every column whole when scrolled sideways, its last ones not cut off', async ({ page, sessions }) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  await sessions.open()
  await expect(sessions.rows().first()).toBeVisible()
  // The rows' rowgroup cuts what passes its right edge: the table must be as wide as its columns,
  // so the frame around it scrolls sideways to Device pool, Model, Profile and Description.
  const rows = sessions.table.getByRole('rowgroup', { name: 'Sessions, scroll for more' })
  const { wide, shown } = await rows.evaluate((element) => ({ wide: element.scrollWidth, shown: element.clientWidth }))
  expect(wide, `the rows are ${wide} px wide in a ${shown} px rowgroup`).toBeLessThanOrEqual(shown)
  const header = sessions.table.getByRole('columnheader', { name: 'Description' })
  await header.scrollIntoViewIfNeeded()
  const cell = sessions.rows().first().getByRole('cell').last()
  const [head, last] = [await box(header), await box(cell)]
  expect(Math.abs(last.x - head.x), 'the Description cells line up under their header').toBeLessThanOrEqual(1)
  await expect(cell).toBeInViewport()
})

test('each ended session of a look-up\'s history has its whole dot on the timeline\'s line, not a sliver cut by the list', async ({ page, users, api }) => {
  // jdoe's session on the seed's phone ends, and the inventory's reading records it: the inventory
  // first sees the session (the simulator's reset logged jdoe in again), then sees it gone, each read
  // afresh (a refresh waited for may be one begun before the reset or the logout), as "Who logged
  // jdoe out?" in history.spec does. Else the logout ended nothing the inventory knew, and the
  // timeline showed only what journeys before left, or nothing.
  const jdoeListed = async (): Promise<boolean> => {
    const listed = await (await api.get('/api/sessions?cluster=hq&user=jdoe')).json() as SessionPage
    return listed.sessions.some((s) => s.deviceName === 'SEP001122334455')
  }
  await readInventoryAfresh(api)
  expect(await jdoeListed()).toBe(true)
  const logout = await api.post('/api/devices/SEP001122334455/logout?cluster=hq')
  expect(logout.status()).toBe(200)
  const { auditId } = await logout.json() as ActionResult
  await readInventoryAfresh(api)
  expect(await jdoeListed()).toBe(false)
  await page.setViewportSize({ width: 1280, height: 800 })
  await users.open()
  await users.lookUp('jdoe')
  const timeline = page.getByRole('list', { name: 'Sessions of jdoe' })
  // This journey's session, latest first: its logout's record is linked.
  await expect(timeline.getByRole('listitem').first().getByRole('link', { name: `#${auditId}`, exact: true })).toBeVisible()
  // The list scrolls (a long history), so it cuts what passes its padding box: its dots must be inside it.
  const dots = await timeline.evaluate((list) => {
    const inside = list.getBoundingClientRect().left + list.clientLeft
    return [...list.querySelectorAll(':scope > li')].map((item) => {
      const dot = getComputedStyle(item, '::before')
      const left = item.getBoundingClientRect().left + parseFloat(dot.left)
      return { cut: Math.max(0, inside - left), width: parseFloat(dot.width) }
    })
  })
  for (const dot of dots) expect(dot.cut, `a ${dot.width} px dot`).toBeLessThanOrEqual(0.5)
})

test('a run\'s pending re-check reads as one sentence: its countdown\'s comma right after it, not on a line of its own', async ({ page, api }) => {
  const started = await api.post('/api/runs', { action: 'logout', devices: ['SEP001122334455'], verifyAfterSeconds: 60 })
  expect(started.status()).toBe(202)
  const runId = (await started.json() as RunStarted).id
  await expect.poll(async () => (await (await api.get(`/api/runs/${runId}`)).json() as { state: string }).state).toBe('done')
  await page.setViewportSize({ width: 760, height: 900 })
  await page.goto(`/#/runs/${runId}`)
  const pending = page.getByRole('status').filter({ hasText: 'Re-check pending' })
  await expect(pending).toContainText('(in 1 minute)')
  // Where "(in 1 minute)" ends and where the ", once CUCM's cache ..." after it starts, on screen.
  const { countdown, comma } = await pending.evaluate((element) => {
    const countdown = [...element.querySelectorAll('span')].find((span) => span.textContent?.trim().startsWith('(in ') === true)
    const text = countdown?.nextSibling
    if (countdown === undefined || text === null || text === undefined) return { countdown: null, comma: null }
    const range = document.createRange()
    range.setStart(text, 0)
    range.setEnd(text, 1)
    const [end, start] = [countdown.getClientRects(), range.getClientRects()]
    const last = end[end.length - 1]
    return { countdown: last === undefined ? null : { right: last.right, top: last.top }, comma: start[0] === undefined ? null : { left: start[0].left, top: start[0].top } }
  })
  expect(countdown, 'the countdown is on screen').not.toBeNull()
  expect(comma, 'the text after it is on screen').not.toBeNull()
  expect(Math.abs((comma?.top ?? 0) - (countdown?.top ?? 0)), 'the comma on the countdown\'s line').toBeLessThan(4)
  expect(Math.abs((comma?.left ?? 0) - (countdown?.right ?? 0)), 'no gap before the comma').toBeLessThan(1)
})

test('on the Overview a notice keeps its distance from what follows it: a cluster\'s error from its Check now, the AXL set-up from the sessions\' headline', async ({ page, overview, api }) => {
  // A cluster added from the dashboard that does not answer (nothing listens on port 9) and has no AXL settings.
  const created = await api.post('/api/clusters', { id: 'look-gap', name: 'Lab', host: '127.0.0.1', port: 9, appUser: 'nobody', appPassword: 'not-a-password' })
  expect(created.status(), await created.text()).toBe(201)
  const cluster = await created.json() as Cluster
  try {
    await page.setViewportSize({ width: 1280, height: 860 })
    await overview.open()
    const card = page.getByRole('region', { name: 'Connection: Lab' })
    const error = card.getByRole('status').filter({ hasText: 'EMAPI_UNREACHABLE' })
    const setUp = page.getByRole('region', { name: 'Logged in now' }).getByRole('note').filter({ hasText: 'The live sessions of Lab need read-only AXL access' })
    await expect(error).toBeVisible()
    await expect(setUp).toBeVisible()
    const headline = page.getByRole('region', { name: 'Logged in now' }).locator('[data-sessions-headline]')
    const checkNow = card.getByRole('button', { name: /^Check now/ })
    for (const [notice, next, what] of [[error, checkNow, 'the error and Check now'], [setUp, headline, 'the AXL set-up and the headline']] as const) {
      const [above, below] = [await box(notice), await box(next)]
      expect(below.y - (above.y + above.height), `the space between ${what}`).toBeGreaterThanOrEqual(8)
    }
  } finally {
    expect((await api.delete(`/api/clusters/${cluster.id}`)).ok()).toBe(true)
  }
})

test('the History filters\' buttons start under the fields, not in the middle of a row', async ({ page, history }) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await history.open()
  const search = await box(history.search)
  const apply = await box(history.applyButton)
  expect(Math.abs(apply.x - search.x), 'Apply filters lines up with the fields\' left edge').toBeLessThanOrEqual(1)
})

test('a run\'s Cluster column keeps a cluster\'s name on one line', async ({ page, api, runs }) => {
  // A small laptop: the messages have less room, and wrap rather than the cluster's name.
  await page.setViewportSize({ width: 1024, height: 768 })
  const started = await api.post('/api/runs', { action: 'logout', devices: ['SEP001122334455', 'SEP00AABBCCDDEE'], verifyAfterSeconds: 0 })
  expect(started.status()).toBe(202)
  const runId = (await started.json() as RunStarted).id
  await page.goto(`/#/runs/${runId}`)
  await expect(runs.finishedItems).toBeVisible()
  const cell = runs.itemRow('SEP00AABBCCDDEE').getByRole('cell', { name: 'HQ (demo)', exact: true })
  await expect(cell).toBeVisible()
  // Each line of a wrapped text is one more box of its range.
  const lines = await cell.evaluate((element) => {
    const range = document.createRange()
    range.selectNodeContents(element)
    return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size
  })
  expect(lines, '"HQ (demo)" is laid out on one line').toBe(1)
})

const LONG_USER = 'firstname.lastname@very-long-company-domain.example.com'

/** The text of each line an element's text is laid out on, top to bottom. */
async function linesOf (element: Locator): Promise<string[]> {
  return await element.evaluate((root) => {
    const range = document.createRange()
    const byTop = new Map<number, string>()
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const text = node.textContent ?? ''
      for (let i = 0; i < text.length; i++) {
        range.setStart(node, i)
        range.setEnd(node, i + 1)
        const top = Math.round(range.getBoundingClientRect().top)
        byTop.set(top, (byTop.get(top) ?? '') + text[i])
      }
    }
    return [...byTop.entries()].sort(([a], [b]) => a - b).map(([, line]) => line)
  })
}

/** LONG_USER is shown whole, each line after the first starting at a dot, @ or hyphen, on at most `maxLines` lines. */
async function expectBrokenAtParts (element: Locator, maxLines = 3): Promise<void> {
  await expect(element).toHaveText(LONG_USER)
  const lines = await linesOf(element)
  expect(lines.join(''), 'the whole ID').toBe(LONG_USER)
  // It broke mid-word: "firstname.lastname@ve" / "ry-long-company-" / "domain.example.com".
  expect(lines.length, `the ID's lines: ${JSON.stringify(lines)}`).toBeLessThanOrEqual(maxLines)
  for (const line of lines.slice(1)) expect(line, `a line of ${JSON.stringify(lines)}`).toMatch(/^[.@-]/)
}

test('a run\'s User column breaks a long e-mail style ID at its dots, @ and hyphens, not mid-word, and shows it whole', async ({ page, api, runs, simulator }) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  // CUCM answers with an error page: each login fails, with a long message beside the ID.
  await simulator.setFault('http-503')
  const started = await api.post('/api/runs', { action: 'login', items: [{ device: 'SEP001122334455', user: LONG_USER }, { device: 'SEP00AABBCCDDEE', user: LONG_USER }], verifyAfterSeconds: 0 })
  expect(started.status()).toBe(202)
  await page.goto(`/#/runs/${(await started.json() as RunStarted).id}`)
  await expectBrokenAtParts(runs.itemRow('SEP00AABBCCDDEE').getByRole('cell', { name: LONG_USER, exact: true }))
  await expectTableWhole(runs.finishedItems, 'A run\'s items')
})

test('a long e-mail style ID breaks at its dots, @ and hyphens in a run\'s preview, in History and in its audit record', async ({ page, runs, history }) => {
  // A laptop's width: the preview's table has four columns to share.
  await page.setViewportSize({ width: 1024, height: 800 })
  await runs.open()
  await runs.chooseAction('Log users in')
  await runs.csvFile.setInputFiles({ name: 'logins.csv', mimeType: 'text/csv', buffer: Buffer.from(`device,user\nSEP00AABBCCDDEE,${LONG_USER}\n`) })
  await runs.recheckAfter.fill('0')
  await runs.previewButton.click()
  await expectBrokenAtParts(runs.previewRow('SEP00AABBCCDDEE').getByRole('cell', { name: LONG_USER, exact: true }))
  await expectTableWhole(runs.preview, 'The preview')
  // CUCM has no such user: the login fails, and its audit record names the ID.
  await runs.startButton.click()
  await expect(runs.progressLabel).toHaveText('1 of 1 device finished')

  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(`/#/history?user=${encodeURIComponent(LONG_USER)}`)
  const row = history.rows().filter({ hasText: 'Log in' })
  // With the record open beside it the table takes its narrow layout: the ID under the time.
  await history.openRecord(row)
  await expectBrokenAtParts(row.getByText(LONG_USER, { exact: true }).filter({ visible: true }), 5)
  await expectTableWhole(history.table, 'The audit trail')
  await expectBrokenAtParts(history.detail.getByRole('definition').filter({ hasText: LONG_USER }))
})

test('on a phone the Users look-up field is wider than its button, so a user ID shows whole', async ({ page, users }) => {
  await page.setViewportSize({ width: 360, height: 780 })
  await users.open()
  const field = await box(users.userInput)
  const button = await box(users.lookUpButton)
  expect(field.width, 'the User ID field').toBeGreaterThan(button.width)
  expect(field.width).toBeGreaterThanOrEqual(180)
})

test('on a phone the automatic logout\'s "After … minutes" stays on one line, its unit beside its field', async ({ page, users }) => {
  await page.setViewportSize({ width: 360, height: 780 })
  await users.open()
  await users.lookUp('jdoe')
  const form = users.loginForm('jdoe')
  // Which of "After" and "minutes" sit on the field's line, once the form (its profiles arrive last) is laid out.
  const onTheFieldsLine = async (): Promise<string[]> => {
    const field = await box(form.getByLabel('Minutes until automatic logout'))
    const middle = (part: { y: number, height: number }): number => part.y + part.height / 2
    const parts = { After: await box(form.getByText('After', { exact: true })), minutes: await box(form.getByText('minutes', { exact: true })) }
    return Object.entries(parts).filter(([, part]) => Math.abs(middle(part) - middle(field)) < field.height / 2).map(([name]) => name)
  }
  await expect.poll(onTheFieldsLine).toEqual(['After', 'minutes'])
})

test('the Sessions screen names each cluster by its name, as the other screens do, not by its id', async ({ page, sessions }) => {
  await sessions.open()
  const asOf = page.locator('.inventory-as-of')
  await expect(asOf).toContainText('HQ (demo): As of')
  await expect(asOf).toContainText('Branch (demo): As of')
  await expect(asOf).not.toContainText('hq:')
})
