import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import type { AuditPage, ErrorBody, InventoryStatus, LiveSession, SessionHistoryPage, SessionPage, SessionSummary } from '@em-console/shared/schemas'
import { SEED_EMAIL_USER_DEVICE, SEED_LOGIN_COUNT, SEED_OCCUPIED_DEVICE, SEED_USER, seedScenario } from '../src/simulator/seed.ts'
import type { Scenario } from '../src/simulator/state.ts'
import { openStore } from '../src/store/store.ts'
import { buildTestApp, receivedOf, runEnded, type TestApp, type TestAppOptions } from './helpers/app.ts'
import { eventually } from './helpers/eventually.ts'

/** The test app with AXL settings; refreshes only on demand unless a test turns the timer on. */
async function inventoryApp (options: TestAppOptions = {}): Promise<TestApp> {
  return await buildTestApp({ axl: true, ...options, env: { INVENTORY_REFRESH_SECONDS: '0', ...options.env }, tuning: { inventoryBatchSize: 37, ...options.tuning } })
}

async function refresh (t: TestApp): Promise<InventoryStatus> {
  const res = await t.inject({ method: 'POST', url: '/api/inventory/refresh?wait=true' }, 'operator')
  assert.equal(res.statusCode, 200, res.body)
  return res.json()
}

async function sessions (t: TestApp, query = ''): Promise<SessionPage> {
  const res = await t.inject(`/api/sessions${query}`, 'viewer')
  assert.equal(res.statusCode, 200, res.body)
  return res.json()
}

async function history (t: TestApp, query = ''): Promise<SessionHistoryPage> {
  const res = await t.inject(`/api/sessions/history${query}`, 'viewer')
  assert.equal(res.statusCode, 200, res.body)
  return res.json()
}

test('a refresh reads every phone and session from AXL; the API pages, sorts and filters them and says as of when', async () => {
  const t = await inventoryApp()
  try {
    const before = (await t.inject('/api/inventory', 'viewer')).json() as InventoryStatus
    assert.equal(before.clusters[0]?.cluster, 'default')
    assert.equal(before.clusters[0]?.asOf, null)

    const status = await refresh(t)
    const cluster = status.clusters[0]
    assert.equal(cluster?.state, 'ok')
    assert.equal(cluster?.counts.phones, t.sim.state.counts().devices)
    assert.equal(cluster?.counts.emEnabledPhones, t.sim.state.counts().devices - t.sim.state.counts().emDisabled)
    assert.equal(cluster?.counts.sessions, SEED_LOGIN_COUNT)
    assert.equal(cluster?.lastError, null)
    assert.ok((cluster?.lastRefreshMs ?? -1) >= 0)
    assert.equal(cluster?.axlVersion, '14.0')

    // Keyset pages, oldest login first, cover every session exactly once.
    const seen: LiveSession[] = []
    let cursor: string | null = null
    do {
      const page: SessionPage = await sessions(t, `?limit=40${cursor === null ? '' : `&cursor=${cursor}`}`)
      assert.equal(page.total, SEED_LOGIN_COUNT)
      assert.equal(page.asOf.default, cluster?.asOf)
      seen.push(...page.sessions)
      cursor = page.nextCursor
    } while (cursor !== null)
    assert.equal(seen.length, SEED_LOGIN_COUNT)
    assert.equal(new Set(seen.map((s) => s.deviceName)).size, SEED_LOGIN_COUNT)
    const times = seen.map((s) => Date.parse(s.loginTime ?? ''))
    assert.deepEqual(times, [...times].sort((a, b) => a - b))
    const jdoe = seen.find((s) => s.deviceName === SEED_OCCUPIED_DEVICE)
    assert.equal(jdoe?.userId, SEED_USER)
    assert.equal(jdoe?.cluster, 'default')
    assert.equal(jdoe?.profile, 'jdoe-EM-8865')

    // Filters: a pool, older than, a user prefix, free text; each answer agrees with the data.
    const oslo = await sessions(t, '?devicePool=DP_OSLO&limit=500')
    assert.ok(oslo.total > 0 && oslo.total < SEED_LOGIN_COUNT)
    assert.ok(oslo.sessions.every((s) => s.devicePool === 'DP_OSLO'))
    const two = await sessions(t, '?devicePool=DP_OSLO&devicePool=DP_LONDON&limit=500')
    assert.equal(two.total, seen.filter((s) => s.devicePool === 'DP_OSLO' || s.devicePool === 'DP_LONDON').length)
    const old = await sessions(t, '?olderThanHours=24&limit=500')
    assert.equal(old.total, seen.filter((s) => Date.parse(s.loginTime ?? '') <= Date.now() - 24 * 3_600_000).length)
    assert.ok(old.total > 0)
    const byUser = await sessions(t, `?user=${SEED_USER.slice(0, 3).toUpperCase()}`)
    assert.ok(byUser.sessions.some((s) => s.userId === SEED_USER))
    assert.ok(byUser.sessions.every((s) => s.userId.toLowerCase().startsWith(SEED_USER.slice(0, 3))))
    const text = await sessions(t, '?q=hot%20desk&limit=500')
    assert.ok(text.total > 0)
    assert.ok(text.sessions.every((s) => s.description.includes('hot desk')))

    // Other sorts, both ways, page consistently too.
    for (const sort of ['device', 'user', 'devicePool', 'model', 'autoLogoutAt'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const names: string[] = []
        let next: string | null = null
        do {
          const page: SessionPage = await sessions(t, `?sort=${sort}&order=${order}&limit=64${next === null ? '' : `&cursor=${next}`}`)
          names.push(...page.sessions.map((s) => s.deviceName))
          next = page.nextCursor
        } while (next !== null)
        assert.equal(new Set(names).size, SEED_LOGIN_COUNT, `${sort} ${order} pages cover every session once`)
      }
    }
    const devicesDesc = (await sessions(t, '?sort=device&order=desc&limit=5')).sessions.map((s) => s.deviceName.toLowerCase())
    assert.deepEqual(devicesDesc, [...devicesDesc].sort().reverse())

    // The summary counts agree with the list.
    const summary = (await t.inject('/api/sessions/summary', 'viewer')).json() as SessionSummary
    assert.equal(summary.total, SEED_LOGIN_COUNT)
    assert.equal(summary.ages.reduce((n, a) => n + a.sessions, 0), SEED_LOGIN_COUNT)
    assert.equal(summary.devicePools.find((p) => p.devicePool === 'DP_OSLO')?.sessions, oslo.total)
    assert.equal(summary.oldest?.deviceName, seen[0]?.deviceName)

    // Phones: every one, filterable by EM flag and by whether someone is logged in.
    const phones = (await t.inject('/api/phones?loggedIn=true&limit=500', 'viewer')).json() as { total: number, phones: Array<{ userId: string | null }> }
    assert.equal(phones.total, SEED_LOGIN_COUNT)
    assert.ok(phones.phones.every((p) => p.userId !== null))
    const disabled = (await t.inject('/api/phones?emEnabled=false', 'viewer')).json() as { total: number }
    assert.equal(disabled.total, t.sim.state.counts().emDisabled)

    // A device look-up shows what the inventory knows of the phone.
    const device = (await t.inject(`/api/devices/${SEED_OCCUPIED_DEVICE}`, 'viewer')).json() as { loginTime: string | null, profile: string | null, devicePool: string | null, model: string | null, emEnabled: boolean | null }
    assert.equal(device.loginTime, jdoe?.loginTime)
    assert.equal(device.profile, 'jdoe-EM-8865')
    assert.equal(device.devicePool, jdoe?.devicePool)
    assert.equal(device.emEnabled, true)
  } finally {
    await t.close()
  }
})

test('bad input gets a 400 naming the field; only operators refresh', async () => {
  const t = await inventoryApp()
  try {
    const bad = async (url: string, field: string): Promise<void> => {
      const res = await t.inject(url, 'viewer')
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`)
      assert.equal((res.json() as ErrorBody).error.field, field, url)
    }
    await bad('/api/sessions?cursor=nope', 'cursor')
    await bad('/api/sessions?cluster=elsewhere', 'cluster')
    await bad('/api/sessions?limit=501', 'limit')
    await bad('/api/sessions?sort=colour', 'sort')
    await bad('/api/sessions?olderThanHours=-1', 'olderThanHours')
    await bad('/api/sessions/history?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'from')
    assert.equal((await t.inject({ method: 'POST', url: '/api/inventory/refresh' }, 'viewer')).statusCode, 403)
    const started = await t.inject({ method: 'POST', url: '/api/inventory/refresh' }, 'operator')
    assert.equal(started.statusCode, 202)
    await eventually(() => t.runtime.inventory.status().clusters[0]?.state === 'ok' || undefined)
  } finally {
    await t.close()
  }
})

test('without AXL settings the inventory says what to configure and a selection by sessions is refused', async () => {
  const t = await buildTestApp()
  try {
    const status = (await t.inject('/api/inventory', 'viewer')).json() as InventoryStatus
    assert.equal(status.clusters[0]?.state, 'not-configured')
    assert.ok(status.clusters[0]?.setup?.roles.includes('Standard AXL Read Only API Access'))
    assert.ok(status.clusters[0]?.setup?.keys.some((k) => k.startsWith('CUCM_AXL_USER')))
    assert.equal((await sessions(t)).total, 0)
    await assert.rejects(t.runtime.inventory.selectSessions({ olderThanHours: 1 }), (error: { code?: string }) => error.code === 'INVENTORY_NOT_CONFIGURED')
    // Look-ups work as before, with the inventory's fields unknown.
    const device = (await t.inject(`/api/devices/${SEED_OCCUPIED_DEVICE}`, 'viewer')).json() as { currentUser: string, devicePool: string | null }
    assert.equal(device.currentUser, SEED_USER)
    assert.equal(device.devicePool, null)
  } finally {
    await t.close()
  }
})

test('session history: EM Console\'s own logouts (who and when), logins replaced, CUCM\'s auto-logout and sessions gone otherwise', async () => {
  let clock = Date.now()
  const t = await inventoryApp({ tuning: { now: () => new Date(clock) } })
  try {
    await refresh(t)
    const live = (await sessions(t, '?limit=500')).sessions
    const byDevice = new Map(live.map((s) => [s.deviceName, s]))
    const withMax = live.find((s) => s.autoLogoutAt !== null && s.deviceName !== SEED_OCCUPIED_DEVICE && s.deviceName !== SEED_EMAIL_USER_DEVICE)
    const other = live.find((s) => s.autoLogoutAt === null && ![SEED_OCCUPIED_DEVICE, SEED_EMAIL_USER_DEVICE].includes(s.deviceName))
    assert.ok(withMax !== undefined && other !== undefined)

    // 1. An EM Console logout, by the operator through the API.
    const logout = await t.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/logout` }, 'operator')
    assert.equal(logout.statusCode, 200, logout.body)
    const auditId = (logout.json() as { auditId: number }).auditId
    // 2. Logged out on the phone itself (not through EM Console), then someone else logs in there.
    assert.ok(t.sim.state.logout(SEED_EMAIL_USER_DEVICE).ok)
    assert.ok(t.sim.state.login({ deviceName: SEED_EMAIL_USER_DEVICE, userId: 'asmith' }).ok)
    // 3. CUCM's own auto-logout fell due (the simulator ends the login; our clock passes the time).
    assert.ok(t.sim.state.logout(withMax.deviceName).ok)
    // 4. Gone, nobody knows how.
    assert.ok(t.sim.state.logout(other.deviceName).ok)
    clock = Date.parse(withMax.autoLogoutAt ?? '') + 60_000

    // Hours later by the app's clock: the signed-in test sessions have expired, so the service is called directly.
    await t.runtime.inventory.refresh(undefined, true)
    const ended = t.runtime.inventory.history({ limit: 500 })
    assert.equal(ended.keptDays, 400)
    const of = (device: string) => ended.sessions.filter((s) => s.deviceName === device)
    assert.equal(ended.sessions.length, 4, JSON.stringify(ended.sessions))

    const own = of(SEED_OCCUPIED_DEVICE)[0]
    const record = t.audit.get(auditId)
    assert.equal(own?.endedBy, 'em-console')
    assert.equal(own?.actor, 'test-operator')
    assert.equal(own?.auditId, auditId)
    assert.equal(own?.endedAt, record?.finishedAt)
    assert.equal(own?.userId, SEED_USER)
    assert.equal(own?.loginTime, byDevice.get(SEED_OCCUPIED_DEVICE)?.loginTime)
    assert.equal(own?.durationSeconds, Math.round((Date.parse(record?.finishedAt ?? '') - Date.parse(own?.loginTime ?? '')) / 1000))

    const replaced = of(SEED_EMAIL_USER_DEVICE)[0]
    assert.equal(replaced?.endedBy, 'replaced')
    const newLogin = t.runtime.inventory.sessions({ device: SEED_EMAIL_USER_DEVICE }).sessions[0]
    assert.equal(newLogin?.userId, 'asmith')
    assert.equal(replaced?.endedAt, newLogin?.loginTime)

    assert.equal(of(withMax.deviceName)[0]?.endedBy, 'auto-logout')
    assert.equal(of(withMax.deviceName)[0]?.endedAt, withMax.autoLogoutAt)
    assert.equal(of(other.deviceName)[0]?.endedBy, 'not-seen')
    assert.equal(of(other.deviceName)[0]?.endedAt, new Date(clock).toISOString())

    // The live list no longer has them; a third refresh with no change adds no history.
    assert.equal(t.runtime.inventory.sessions({}).total, SEED_LOGIN_COUNT - 3)
    await t.runtime.inventory.refresh(undefined, true)
    assert.equal(t.runtime.inventory.history({ limit: 500 }).sessions.length, 4)

    // History filters: per device (exact), per user, by how it ended; paging newest first.
    assert.equal(t.runtime.inventory.history({ device: SEED_OCCUPIED_DEVICE, exact: true }).sessions.length, 1)
    assert.equal(t.runtime.inventory.history({ user: SEED_USER, exact: true }).sessions[0]?.deviceName, SEED_OCCUPIED_DEVICE)
    assert.equal(t.runtime.inventory.history({ endedBy: 'em-console' }).sessions.length, 1)
    const first = t.runtime.inventory.history({ limit: 3 })
    const second = t.runtime.inventory.history({ limit: 3, cursor: first.nextCursor ?? '' })
    assert.equal(second.sessions.length, 1)
    assert.equal(second.nextCursor, null)
    const ends = [...first.sessions, ...second.sessions].map((s) => s.endedAt)
    assert.deepEqual(ends, [...ends].sort().reverse())
  } finally {
    await t.close()
  }
})

test('a refresh while a user logs out at a phone misses no session and ends none still live; the next one sees that logout', async () => {
  const t = await inventoryApp()
  try {
    await refresh(t)
    const first = (await sessions(t, '?limit=500&sort=device')).sessions[0]
    // Pages of 20 (CUCM says "less than 40 rows"); after the second page, the first session ends.
    t.sim.axl.setFaults({ maxRows: 40, logoutAfterPages: 1 })
    await refresh(t)
    // Every session was read, the first before it ended; none is taken for ended.
    assert.equal((await sessions(t)).total, SEED_LOGIN_COUNT)
    assert.deepEqual((await history(t)).sessions, [])
    // The next refresh sees the first one gone, and only it.
    t.sim.axl.setFaults({ maxRows: 0 })
    await refresh(t)
    const live = await sessions(t, '?limit=500')
    assert.equal(live.total, SEED_LOGIN_COUNT - 1)
    assert.ok(!live.sessions.some((s) => s.deviceName === first?.deviceName))
    assert.deepEqual((await history(t)).sessions.map((s) => [s.deviceName, s.endedBy]), [[first?.deviceName, 'not-seen']])
  } finally {
    await t.close()
  }
})

test('a logout-all through EM Console ends every session in the history with who did it', async () => {
  const t = await inventoryApp()
  try {
    await refresh(t)
    const res = await t.inject({ method: 'POST', url: '/api/logout-all', payload: { confirm: 'LOG OUT ALL' } }, 'operator')
    assert.equal(res.statusCode, 200, res.body)
    await refresh(t)
    const ended = await history(t, '?limit=500')
    assert.equal(ended.sessions.length, SEED_LOGIN_COUNT)
    assert.ok(ended.sessions.every((s) => s.endedBy === 'em-console' && s.actor === 'test-operator'))
    assert.equal((await sessions(t)).total, 0)
    // "Who logged jdoe out?": History by user finds the logout-all that ended their session, though it names nobody.
    const byUser = (await t.inject(`/api/audit?user=${encodeURIComponent(SEED_USER)}&action=logout-all`)).json() as AuditPage
    assert.deepEqual(byUser.items.map((item) => item.id), [(res.json() as { auditId: number }).auditId])
    // The count of History's "N records" says the same of the user alone, on a page smaller than the matches.
    assert.equal((await t.inject(`/api/users/${encodeURIComponent(SEED_USER)}/devices`, 'viewer')).statusCode, 200)
    const everyOfUser = (await t.inject(`/api/audit?user=${encodeURIComponent(SEED_USER)}&limit=500`)).json() as AuditPage
    assert.ok(everyOfUser.items.length > 1, 'the logout-all and the user\'s own look-ups')
    const firstOfUser = (await t.inject(`/api/audit?user=${encodeURIComponent(SEED_USER)}&limit=1`)).json() as AuditPage
    assert.deepEqual([firstOfUser.total, firstOfUser.totalIsLowerBound], [everyOfUser.items.length, false])
    const csv = (await t.inject(`/api/audit/export.csv?user=${encodeURIComponent(SEED_USER)}&action=logout-all`)).body
    assert.match(csv, /logout-all/)
    // "Who logged this phone out?": History by device finds it too, and counts it.
    const byDevice = (await t.inject(`/api/audit?device=${SEED_OCCUPIED_DEVICE}&action=logout-all`)).json() as AuditPage
    assert.deepEqual(byDevice.items.map((item) => item.id), [(res.json() as { auditId: number }).auditId])
    assert.equal(byDevice.total, 1)
    assert.match((await t.inject(`/api/audit/export.csv?device=${SEED_OCCUPIED_DEVICE}&action=logout-all`)).body, /logout-all/)
    // The ended sessions as CSV, with the page's filters: one line each, who ended it and its record.
    const exported = await t.inject(`/api/sessions/history.csv?user=${encodeURIComponent(SEED_USER)}&exact=true&endedBy=em-console`, 'viewer')
    assert.equal(exported.statusCode, 200, exported.body)
    assert.match(exported.headers['content-disposition'] as string, /em-console-ended-sessions-\d{4}-\d\d-\d\d\.csv/)
    const [header, ...lines] = exported.body.replace(/^\uFEFF/, '').trim().split('\r\n')
    assert.equal(header, 'cluster,device,user_id,profile,login_time,ended_at,duration_seconds,ended_by,actor,audit_id,device_pool,model,description,login_time_utc,ended_at_utc')
    const endedCells = (lines[0] ?? '').split(',')
    assert.match(endedCells.at(-1) ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, 'ended_at_utc: a date and time a spreadsheet reads')
    assert.equal(endedCells.at(-1), endedCells[5]?.slice(0, 19).replace('T', ' '))
    const own = ended.sessions.filter((s) => s.userId === SEED_USER)
    assert.equal(lines.length, own.length)
    assert.ok(lines.every((line) => line.includes(',em-console,test-operator,' + String((res.json() as { auditId: number }).auditId) + ',')), lines.join('\n'))
    const all = (await t.inject('/api/sessions/history.csv', 'viewer')).body.replace(/^\uFEFF/, '').trim().split('\r\n')
    assert.equal(all.length, 1 + SEED_LOGIN_COUNT)
    // "Which sessions did this logout-all end?" (History's record names no one): by its record, page and CSV alike.
    const auditId = (res.json() as { auditId: number }).auditId
    const byRecord = await history(t, `?auditId=${auditId}&limit=500`)
    assert.equal(byRecord.sessions.length, SEED_LOGIN_COUNT)
    assert.ok(byRecord.sessions.every((s) => s.auditId === auditId))
    assert.deepEqual((await history(t, `?auditId=${auditId}&user=${encodeURIComponent(SEED_USER)}&exact=true`)).sessions.map((s) => s.userId), own.map((s) => s.userId))
    assert.equal((await history(t, `?auditId=${auditId + 1}`)).sessions.length, 0)
    assert.equal((await t.inject(`/api/sessions/history.csv?auditId=${auditId}`, 'viewer')).body.replace(/^\uFEFF/, '').trim().split('\r\n').length, 1 + SEED_LOGIN_COUNT)
    assert.equal((await t.inject('/api/sessions/history?auditId=0', 'viewer')).statusCode, 400)
    assert.equal((await t.inject('/api/sessions/history.csv?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'viewer')).statusCode, 400)
  } finally {
    await t.close()
  }
})

test('a session first seen after a logout-all is not credited to it when it ends: the logout came before it was seen alive', async () => {
  const t = await inventoryApp()
  try {
    await refresh(t)
    assert.equal((await t.inject({ method: 'POST', url: '/api/logout-all', payload: { confirm: 'LOG OUT ALL' } }, 'operator')).statusCode, 200)
    await refresh(t)
    // Everyone back, under their old login times (as a demo server's restart reseeds them).
    t.sim.reset()
    await refresh(t)
    assert.equal((await sessions(t)).total, SEED_LOGIN_COUNT)
    // Gone again, not through EM Console.
    assert.equal(t.sim.state.logout(SEED_OCCUPIED_DEVICE).ok, true)
    await refresh(t)
    const [ended] = (await history(t, `?device=${SEED_OCCUPIED_DEVICE}&exact=true`)).sessions
    assert.equal(ended?.endedBy, 'not-seen', JSON.stringify(ended))
    assert.equal(ended?.auditId, null)
  } finally {
    await t.close()
  }
})

test('after a logout-all through EM Console the inventory reads the cluster again by itself: the screens and the next count see it', async () => {
  const t = await inventoryApp({ env: { INVENTORY_REFRESH_SECONDS: '3600' } })
  try {
    const first = await eventually(() => { const c = t.runtime.inventory.status().clusters[0]; return c?.state === 'ok' ? c : undefined })
    assert.equal(first.counts.sessions, SEED_LOGIN_COUNT)
    const res = await t.inject({ method: 'POST', url: '/api/logout-all', payload: { confirm: 'LOG OUT ALL' } }, 'operator')
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().loggedOut, first.counts.users)
    // Within seconds, not at the next hourly refresh.
    const after = await eventually(() => { const c = t.runtime.inventory.status().clusters[0]; return c?.state === 'ok' && c.asOf !== first.asOf ? c : undefined }, 10_000)
    assert.equal(after.counts.sessions, 0)
    assert.equal((await sessions(t)).total, 0)
    const ended = await history(t, '?limit=500')
    assert.equal(ended.sessions.length, SEED_LOGIN_COUNT)
    assert.ok(ended.sessions.every((s) => s.endedBy === 'em-console' && s.actor === 'test-operator'))
    const again = await t.inject({ method: 'POST', url: '/api/logout-all', payload: { confirm: 'LOG OUT ALL' } }, 'operator')
    assert.equal(again.json().loggedOut, 0, 'the second logout-all counts nobody')
  } finally {
    await t.close()
  }
})

test('a change is read once more after CUCM\'s lag (its status lags about two minutes): users that dropped late are not listed until the next timed refresh', async () => {
  const t = await inventoryApp({ env: { INVENTORY_REFRESH_SECONDS: '3600' }, tuning: { inventorySettleMs: 6000 } })
  try {
    const first = await eventually(() => { const c = t.runtime.inventory.status().clusters[0]; return c?.state === 'ok' ? c : undefined })
    const res = await t.inject({ method: 'POST', url: '/api/logout-all', payload: { confirm: 'LOG OUT ALL' } }, 'operator')
    assert.equal(res.statusCode, 200, res.body)
    // The read seconds after the change.
    const soon = await eventually(() => { const c = t.runtime.inventory.status().clusters[0]; return c?.state === 'ok' && c.asOf !== first.asOf ? c : undefined }, 10_000)
    // CUCM's state moves after that read (here a login at the phone stands for what it had not yet shown).
    assert.ok(t.sim.state.login({ deviceName: SEED_OCCUPIED_DEVICE, userId: SEED_USER }).ok)
    // Read once more once the change has settled, not an hour later.
    const settled = await eventually(() => { const c = t.runtime.inventory.status().clusters[0]; return c?.state === 'ok' && c.asOf !== soon.asOf ? c : undefined }, 15_000)
    assert.equal(settled.counts.sessions, 1)
    // Once: then the timer waits for the next timed refresh.
    assert.ok(Date.parse(settled.nextRefreshAt ?? '') - Date.parse(settled.asOf ?? '') > 3_000_000, JSON.stringify(settled))
  } finally {
    await t.close()
  }
})

test('a run\'s end has its clusters read again within seconds, not 30 s behind a refresh its first logouts asked for: nobody it logged out stays listed', async () => {
  const t = await inventoryApp({ env: { INVENTORY_REFRESH_SECONDS: '3600' } })
  try {
    const first = await eventually(() => { const c = t.runtime.inventory.status().clusters[0]; return c?.state === 'ok' ? c : undefined })
    const oslo = await sessions(t, '?devicePool=DP_OSLO&limit=500')
    assert.ok(oslo.total >= 3, `Oslo's sessions: ${oslo.total}`)
    const located = oslo.sessions.map((s) => ({ device: s.deviceName, cluster: s.cluster, user: s.userId }))
    const logOut = async (items: typeof located): Promise<void> => {
      const started = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', verifyAfterSeconds: 0, located: items } }, 'operator')
      assert.equal(started.statusCode, 202, started.body)
      await runEnded(t, started.json().id as string)
    }
    // A first logout asks for a read (2 s on), and the next that a change asks for is spaced 30 s after it.
    await logOut(located.slice(0, 1))
    await eventually(() => { const c = t.runtime.inventory.status().clusters[0]; return c?.state === 'ok' && c.asOf !== first.asOf && c.counts.sessions === first.counts.sessions - 1 ? c : undefined }, 10_000)
    // The rest, within those 30 s: once the run has ended, the Sessions screen no longer lists them within seconds.
    await logOut(located.slice(1))
    await eventually(async () => (await sessions(t, '?devicePool=DP_OSLO')).total === 0 || undefined, 10_000)
  } finally {
    await t.close()
  }
})

test('a logout another process (a CLI command) records is read back within seconds too, as the server\'s own are', async () => {
  const t = await inventoryApp({ env: { INVENTORY_REFRESH_SECONDS: '3600' }, tuning: { inventoryOthersChangesMs: 100 } })
  const cli = openStore({ path: t.databasePath })
  try {
    const first = await eventually(() => { const c = t.runtime.inventory.status().clusters[0]; return c?.state === 'ok' ? c : undefined })
    const cluster = first.cluster
    // The server's own look-ups write meanwhile.
    assert.equal((await t.inject(`/api/devices/${SEED_OCCUPIED_DEVICE}`)).statusCode, 200)
    // What the CLI does: its record, pending, through its own connection; the logout on CUCM; the record finished.
    const id = await cli.write((w) => w.audit.insertPending({ actor: 'cli', trigger: 'cli', action: 'logout', devices: [SEED_OCCUPIED_DEVICE], userId: SEED_USER, cluster }), 'cli pending')
    const during = await eventually(() => { const c = t.runtime.inventory.status().clusters[0]; return c?.state === 'ok' && c.asOf !== first.asOf ? c : undefined }, 10_000)
    assert.equal(during.counts.sessions, first.counts.sessions, 'read while the change was pending: nobody logged out yet')
    assert.equal(t.sim.state.logout(SEED_OCCUPIED_DEVICE).ok, true)
    await cli.write((w) => { w.audit.finish(id, { outcome: 'success', message: 'Logged out' }) }, 'cli finished')
    // Its end asks for another read: within the spacing of reads after changes (30 s), not at the next hourly one.
    await eventually(() => {
      const next = t.runtime.inventory.status().clusters[0]?.nextRefreshAt
      return next != null && Date.parse(next) - Date.now() < 40_000 ? true : undefined
    }, 10_000)
  } finally {
    await cli.close()
    await t.close()
  }
})

test('another process\'s run (a CLI command\'s logout by age) ends: its cluster is read again within seconds, not 30 s behind the read its first logout asked for', async () => {
  const t = await inventoryApp({ env: { INVENTORY_REFRESH_SECONDS: '3600' }, tuning: { inventoryOthersChangesMs: 100 } })
  const cli = openStore({ path: t.databasePath })
  try {
    const first = await eventually(() => { const c = t.runtime.inventory.status().clusters[0]; return c?.state === 'ok' ? c : undefined })
    const cluster = first.cluster
    const [one, two] = (await sessions(t, '?limit=2')).sessions
    assert.ok(one !== undefined && two !== undefined)
    // What the CLI's run does for each device: its record pending, the logout on CUCM, the record finished.
    const logOut = async (device: string): Promise<void> => {
      const id = await cli.write((w) => w.audit.insertPending({ actor: 'cli', trigger: 'cli', action: 'logout', devices: [device], cluster }), 'cli pending')
      assert.equal(t.sim.state.logout(device).ok, true)
      await cli.write((w) => { w.audit.finish(id, { outcome: 'success', message: 'Logged out' }) }, 'cli finished')
    }
    await logOut(one.deviceName)
    await eventually(() => { const c = t.runtime.inventory.status().clusters[0]; return c?.state === 'ok' && c.counts.sessions === first.counts.sessions - 1 ? c : undefined }, 10_000)
    // Its last logout, within the 30 s that reads after changes are spaced by, then the run's summary: its end.
    await logOut(two.deviceName)
    await cli.write((w) => w.audit.record({ actor: 'cli', trigger: 'cli', action: 'bulk-run', cluster }, { outcome: 'success', message: 'Logout of the sessions logged in for more than 1 h: 2 success' }), 'cli run summary')
    await eventually(() => { const c = t.runtime.inventory.status().clusters[0]; return c?.state === 'ok' && c.counts.sessions === first.counts.sessions - 2 ? c : undefined }, 10_000)
  } finally {
    await cli.close()
    await t.close()
  }
})

test('a failed refresh keeps the last good inventory, says stale with the error and what to do, and retries with backoff', async () => {
  const t = await inventoryApp({ env: { INVENTORY_REFRESH_SECONDS: '3600' }, tuning: { inventoryRetryMs: 100 } })
  try {
    // The timer's first refresh at start.
    const first = await eventually(() => { const c = t.runtime.inventory.status().clusters[0]; return c?.state === 'ok' ? c : undefined })
    assert.equal(first.counts.sessions, SEED_LOGIN_COUNT)
    t.sim.axl.setFaults({ mode: 'forbidden' })
    t.sim.state.logoutAll()
    const status = await refresh(t)
    const stale = status.clusters[0]
    assert.equal(stale?.state, 'stale')
    assert.equal(stale?.asOf, first.asOf)
    assert.equal(stale?.counts.sessions, SEED_LOGIN_COUNT, 'the old inventory is kept')
    assert.equal(stale?.lastError?.code, 'AXL_FORBIDDEN')
    assert.match(stale?.lastError?.action ?? '', /Standard AXL Read Only API Access/)
    assert.equal((await sessions(t)).total, SEED_LOGIN_COUNT)
    assert.equal((await history(t)).sessions.length, 0, 'nothing is ended on a failed read')
    // Look-ups and logouts do not wait for the inventory.
    assert.equal((await t.inject(`/api/devices/${SEED_OCCUPIED_DEVICE}`, 'viewer')).statusCode, 200)
    // A selection by sessions is refused rather than made from the stale inventory.
    await assert.rejects(t.runtime.inventory.selectSessions({ olderThanHours: 1 }), (error: { code?: string }) => error.code === 'INVENTORY_STALE')

    // The retry comes by itself (100 ms, then 200 ms...), and succeeds once AXL answers again.
    const failures = t.sim.axl.received.length
    await eventually(() => t.sim.axl.received.length > failures + 1 || undefined, 5000)
    t.sim.axl.setFaults({ mode: 'none' })
    const back = await eventually(() => { const c = t.runtime.inventory.status().clusters[0]; return c?.state === 'ok' ? c : undefined }, 10_000)
    assert.equal(back.counts.sessions, 0)
    assert.equal(back.lastError, null)
    assert.ok(Date.parse(back.asOf ?? '') > Date.parse(first.asOf ?? ''))
    assert.equal((await history(t, '?limit=500')).sessions.length, SEED_LOGIN_COUNT)
    assert.ok(t.logs.some((line) => line.includes('the refresh failed, the last good inventory is kept')))
  } finally {
    await t.close()
  }
})

test('an AXL user CUCM refuses is not sent again by the timer (a credential policy would lock it, for every tool that shares it); stale says so, and a person\'s Refresh still sends it', async () => {
  const t = await inventoryApp({ env: { INVENTORY_REFRESH_SECONDS: '3600' }, tuning: { inventoryRetryMs: 20 } })
  try {
    await eventually(() => { const c = t.runtime.inventory.status().clusters[0]; return c?.state === 'ok' ? c : undefined })
    t.sim.axl.setFaults({ mode: 'unauthorized' })
    const stale = (await refresh(t)).clusters[0]
    assert.equal(stale?.state, 'stale')
    assert.equal(stale?.lastError?.code, 'AXL_AUTH')
    assert.match(stale?.lastError?.action ?? '', /CUCM_AXL_PASSWORD.*only when a person refreshes, a logout selects by sessions or the settings change, not on its timer/)
    assert.equal(stale?.nextRefreshAt, null, 'no timed retry')
    // The backoff (20 ms, 40, 80, 160...) would have sent four retries by now.
    const refused = t.sim.axl.received.length
    await new Promise((resolve) => setTimeout(resolve, 400))
    assert.equal(t.sim.axl.received.length, refused, 'the refused credentials were sent again')
    // A person's Refresh is sent; once AXL answers, the timer is armed again.
    t.sim.axl.setFaults({ mode: 'none' })
    const back = (await refresh(t)).clusters[0]
    assert.equal(back?.state, 'ok')
    assert.ok(Date.parse(back?.nextRefreshAt ?? '') > Date.now() + 3_000_000, JSON.stringify(back))
  } finally {
    await t.close()
  }
})

test('an inventory that cannot be read for a TLS problem says that problem\'s own fix: an expired certificate is renewed, not exported again', async () => {
  const t = await inventoryApp({ simulator: { expiredCertificate: true } })
  try {
    const failed = (await refresh(t)).clusters[0]
    assert.equal(failed?.state, 'error')
    assert.equal(failed?.lastError?.code, 'AXL_TLS')
    assert.match(failed?.lastError?.message ?? '', /CERT_HAS_EXPIRED\): the certificate EM Console trusts for CUCM \(CN=EM Console CUCM simulator, self-signed\) expired on \d{4}-\d\d-\d\d\.$/)
    assert.match(failed?.lastError?.action ?? '', /^Renew the Tomcat certificate on CUCM/)
    const read = (await t.inject('/api/inventory', 'viewer')).json<InventoryStatus>().clusters[0]
    assert.equal(read?.lastError?.action, failed?.lastError?.action)
  } finally {
    await t.close()
  }
})

test('a timed refresh whose record the database refuses is logged, and the timer goes on: the next one refreshes', async () => {
  const t = await inventoryApp({ env: { INVENTORY_REFRESH_SECONDS: '1' } })
  const other = new Database(t.databasePath)
  try {
    const first = await eventually(() => { const c = t.runtime.inventory.status().clusters[0]; return c?.state === 'ok' ? c : undefined })
    // Not a lock that passes (those are waited out): a refusal of the write itself.
    other.exec("CREATE TRIGGER refuse_attempt BEFORE UPDATE OF last_attempt_at ON inventory_state BEGIN SELECT RAISE(ABORT, 'refused by a test'); END")
    await eventually(() => t.logs.find((line) => line.includes('"level":50') && line.includes('the refresh could not be recorded')), 5000)
    other.exec('DROP TRIGGER refuse_attempt')
    await eventually(() => Date.parse(t.runtime.inventory.status().clusters[0]?.asOf ?? '') > Date.parse(first.asOf ?? '') || undefined, 10_000)
  } finally {
    other.close()
    await t.close()
  }
})

test('the SQL sent through the inventory holds only numbers it computed; odd user IDs and descriptions come back as data', async () => {
  const odd = ["o'brien & co", "'; DROP TABLE enduser; --", 'zoë <b>"q"</b>', 'ann_lee', 'annxlee', 'CORP\\bob', '100%off']
  const base = seedScenario()
  const scenario: Scenario = {
    ...base,
    users: [...base.users, ...odd],
    profiles: [...base.profiles, ...odd.map((u, i) => ({ name: `odd-profile-${i}`, owners: [u], isDefault: true }))],
    devices: [...base.devices, ...odd.map((u, i) => ({ name: `SEP0000000ODD${i}`, currentUser: u, description: i === 0 ? '=HYPERLINK("http://x")' : `desc ${u}` }))]
  }
  const t = await inventoryApp({ simulator: { scenario } })
  try {
    await refresh(t)
    const found = (await sessions(t, '?device=SEP0000000ODD&sort=device')).sessions
    assert.deepEqual(found.map((s) => s.userId), odd)
    assert.equal((await sessions(t, `?user=${encodeURIComponent("o'brien")}`)).sessions[0]?.userId, odd[0])
    assert.equal((await sessions(t, `?q=${encodeURIComponent('DROP TABLE')}`)).total, 1)
    // A search's text is found as typed: LIKE's wildcards and its escape character are literal.
    for (const q of ['ann_lee', 'CORP\\bob', '100%']) {
      assert.deepEqual((await sessions(t, `?q=${encodeURIComponent(q)}`)).sessions.map((s) => s.userId), [odd.find((u) => u.includes(q))], q)
    }

    // Every statement is one of four templates, differing only in the numbers of its paging.
    const templates = new Set(t.sim.axl.received.map((r) => (r.sql ?? '').replace(/\d+/g, 'N')))
    assert.equal(templates.size, 4, [...templates].join('\n'))
    for (const sql of templates) {
      assert.ok(!/o'brien|DROP|HYPERLINK|zoë/i.test(sql), sql)
      assert.ok(!sql.includes("'"), `no quoted value at all: ${sql}`)
    }

    // The CSV export streams every session, and defuses a formula in a description.
    const csv = await t.inject('/api/sessions/export.csv?device=SEP0000000ODD&sort=device', 'viewer')
    assert.equal(csv.statusCode, 200)
    assert.match(csv.headers['content-type'] as string, /text\/csv/)
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n')
    // The times again at the end, as spreadsheets read a date: the columns before keep their places.
    assert.equal(lines[0], 'cluster,device,user_id,profile,login_time,auto_logout_at,device_pool,model,description,login_time_utc,auto_logout_at_utc')
    assert.equal(lines.length, 1 + odd.length)
    assert.ok(lines[1]?.includes(',"\'=HYPERLINK(""http://x"")",'), lines[1])
    const [loginTime, , , , , loginUtc] = (lines[1] ?? '').split(',').slice(4)
    assert.equal(loginUtc, new Date(loginTime ?? '').toISOString().slice(0, 19).replace('T', ' '))
    const all = await t.inject('/api/sessions/export.csv', 'viewer')
    assert.equal(all.body.trim().split('\r\n').length, 1 + SEED_LOGIN_COUNT + odd.length)
  } finally {
    await t.close()
  }
})

test('a server stopped while an on-demand refresh reads AXL stops quietly: no internal error in its log', async () => {
  const t = await inventoryApp()
  let closed = false
  try {
    // AXL holds its answer: the server stops while the refresh reads it.
    t.sim.axl.setFaults({ hold: true })
    const res = await t.inject({ method: 'POST', url: '/api/inventory/refresh' }, 'operator')
    assert.equal(res.statusCode, 202, res.body)
    await eventually(() => t.sim.axl.received.length > 0 || undefined)
    await t.close()
    closed = true
    // The refresh's end is heard after the close: its rejection is handled on a later turn.
    await new Promise((resolve) => setImmediate(resolve))
    assert.deepEqual(t.logs.filter((line) => line.includes('"level":50')), [])
  } finally {
    t.sim.axl.setFaults({ hold: false })
    if (!closed) await t.close()
  }
})

test('the sessions the dashboard exports (live, or ended by a logout) are a login file: each user back on their phone with their profile', async () => {
  const t = await inventoryApp()
  try {
    await refresh(t)
    const live = await t.inject(`/api/sessions/export.csv?device=${SEED_OCCUPIED_DEVICE.slice(0, 13)}`, 'viewer')
    assert.equal(live.statusCode, 200, live.body)
    const before = await sessions(t, `?device=${SEED_OCCUPIED_DEVICE.slice(0, 13)}`)
    assert.ok(before.total >= 2, 'jdoe and jane.doe are among them')
    for (const s of before.sessions) assert.equal((await t.inject({ method: 'POST', url: `/api/devices/${s.deviceName}/logout` }, 'operator')).statusCode, 200)
    await refresh(t)
    const ended = await t.inject(`/api/sessions/history.csv?device=${SEED_OCCUPIED_DEVICE.slice(0, 13)}`, 'viewer')
    assert.equal(ended.statusCode, 200, ended.body)
    const wanted = before.sessions.map((s) => ({ device: s.deviceName, user: s.userId, category: 'will-login' })).sort((a, b) => a.device.localeCompare(b.device))
    for (const [label, file] of [['live sessions', live.body], ['ended sessions', ended.body]] as const) {
      const preview = await t.inject({ method: 'POST', url: '/api/runs/preview?action=login', headers: { 'content-type': 'text/csv' }, payload: file }, 'operator')
      assert.equal(preview.statusCode, 200, `${label}: ${preview.body}`)
      const items = (preview.json() as { items: Array<{ device: string, user: string, category: string }> }).items
      assert.deepEqual(items.map(({ device, user, category }) => ({ device, user, category })).sort((a, b) => a.device.localeCompare(b.device)), wanted, label)
    }
    const res = await t.inject({ method: 'POST', url: '/api/runs?action=login&verifyAfterSeconds=0', headers: { 'content-type': 'text/csv' }, payload: live.body }, 'operator')
    assert.equal(res.statusCode, 202, res.body)
    const run = await runEnded(t, res.json().id as string)
    assert.deepEqual(run.counts, { success: before.total })
    // Each with the profile they had, as the export wrote it.
    const logins = receivedOf(t.sim, 'login')
    for (const s of before.sessions) assert.ok(logins.some((xml) => xml.includes(`<deviceName>${s.deviceName}</deviceName>`) && xml.includes(`<deviceProfile>${s.profile ?? ''}</deviceProfile>`)), `${s.deviceName} with ${s.profile ?? ''}`)
  } finally {
    await t.close()
  }
})
