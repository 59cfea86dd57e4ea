import assert from 'node:assert/strict'
import { after, before, beforeEach, test } from 'node:test'
import { SEED_OCCUPIED_DEVICE } from '../src/simulator/seed.ts'
import { buildTestApp, receivedOf, type TestApp } from './helpers/app.ts'
import { eventually } from './helpers/eventually.ts'

let t: TestApp

before(async () => { t = await buildTestApp() })
after(async () => await t.close())
beforeEach(() => { t.sim.reset() })

const logoutAll = async (payload: unknown) => await t.inject({ method: 'POST', url: '/api/logout-all', payload: payload as object })

test('without the exact confirmation the request is refused and CUCM never called', async () => {
  for (const payload of [{}, { confirm: 'log out all' }, { confirm: 'LOG OUT ALL ' }, { confirm: true }]) {
    const res = await logoutAll(payload)
    assert.equal(res.statusCode, 400, JSON.stringify(payload))
    assert.equal(res.json().error.field, 'confirm')
  }
  assert.match((await logoutAll({ confirm: 'yes' })).json().error.message, /must be exactly "LOG OUT ALL"/)
  assert.equal(t.sim.stats.requests, 0)
})

test('logs everyone out, once, and records it', async () => {
  const res = await logoutAll({ confirm: 'LOG OUT ALL' })
  assert.equal(res.statusCode, 200)
  assert.equal(res.json().outcome, 'success')
  assert.equal(receivedOf(t.sim, 'logoutAll').length, 1)
  assert.match(receivedOf(t.sim, 'logoutAll')[0] ?? '', /^<request>/)
  const record = t.audit.get(res.json().auditId as number)
  assert.equal(record?.action, 'logout-all')
  assert.equal(record?.outcome, 'success')
  assert.match(record?.requestXml ?? '', /<appCertificate>\*{8}<\/appCertificate><\/appInfo><logoutAll>/)
  assert.match(record?.responseBody ?? '', /<success\/>/)
  const status = await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}` })
  assert.equal(status.json().currentUser, null)
})

test('concurrent requests: exactly one EMAPI call, the others get 409 with the running audit id', async () => {
  // CUCM's answer is held until the other four are refused.
  t.sim.setFaults({ hold: 'changes' })
  const asked = Promise.all(Array.from({ length: 5 }, async () => await logoutAll({ confirm: 'LOG OUT ALL' })))
  await eventually(() => t.audit.page({ action: 'logout-all', outcome: 'failure' }, 50).items.filter((row) => row.errorCode === 'LOGOUT_ALL_RUNNING').length === 4 ? true : undefined, 10_000)
  t.sim.setFaults({ hold: 'none' })
  const answers = await asked
  const ok = answers.filter((r) => r.statusCode === 200)
  const conflicts = answers.filter((r) => r.statusCode === 409)
  assert.equal(ok.length, 1)
  assert.equal(conflicts.length, 4)
  for (const conflict of conflicts) {
    assert.equal(conflict.json().error.code, 'LOGOUT_ALL_RUNNING')
    assert.equal(conflict.json().error.auditId, ok[0]?.json().auditId)
  }
  // Each refusal is in the history too, naming the one that ran.
  const refusals = t.audit.page({ action: 'logout-all', outcome: 'failure' }, 50).items.filter((row) => row.errorCode === 'LOGOUT_ALL_RUNNING')
  assert.equal(refusals.length, 4)
  for (const row of refusals) assert.match(row.message ?? '', new RegExp(`^Not sent: a logout of all Extension Mobility users \\(audit #${String(ok[0]?.json().auditId)}\\) was already running on cluster `))
  assert.equal(receivedOf(t.sim, 'logoutAll').length, 1)
  const after = await logoutAll({ confirm: 'LOG OUT ALL' })
  assert.equal(after.statusCode, 200, 'once it finished, the next one runs')
})

test('a failed logoutAll is recorded as a failure with its code, and the lock is released', async () => {
  t.sim.setFaults({ mode: 'http-503' })
  const res = await logoutAll({ confirm: 'LOG OUT ALL' })
  assert.equal(res.statusCode, 502)
  assert.equal(res.json().error.code, 'EMAPI_HTTP_STATUS')
  const record = t.audit.get(res.json().error.auditId as number)
  assert.equal(record?.outcome, 'error')
  assert.equal(record?.httpStatus, 503)
  assert.equal(record?.errorCode, 'EMAPI_HTTP_STATUS')
  t.sim.setFaults({ mode: 'none' })
  assert.equal((await logoutAll({ confirm: 'LOG OUT ALL' })).statusCode, 200)
})

test('a logoutAll CUCM may have carried out without an answer saying so is recorded unknown, not error; one never sent is an error', async () => {
  // Carried out, then the connection dropped (a node restarting mid-answer); carried out, then a
  // proxy in front of CUCM gave up waiting (HTTP 504); dropped before carrying it out; answered
  // with what cannot be read: from EM Console's side, all the same.
  for (const mode of ['reset-after', 'http-504', 'reset', 'malformed', 'empty'] as const) {
    t.sim.reset()
    t.sim.setFaults({ mode })
    const res = await logoutAll({ confirm: 'LOG OUT ALL' })
    const { error } = res.json() as { error: { code: string, outcome?: string, message: string, auditId: number } }
    assert.equal(error.outcome, 'unknown', `${mode}: ${res.body}`)
    assert.match(error.message, /may have carried it out/, mode)
    const record = t.audit.get(error.auditId)
    assert.equal(record?.outcome, 'unknown', mode)
    assert.match(record?.message ?? '', /may have carried it out/, mode)
    if (mode === 'reset-after' || mode === 'http-504') assert.equal(t.sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser ?? null, null, `${mode}: CUCM did log everyone out`)
    if (mode === 'http-504') {
      assert.equal(record?.httpStatus, 504)
      // A proxy's answer, said as one: not "the service may be stopped", nor Serviceability's advice.
      assert.match(error.message, /^CUCM answered HTTP 504: 504 Gateway Time-out\. A proxy or load balancer in front of CUCM got no usable answer from it\./)
      assert.match((res.json() as { error: { action: string } }).error.action, /^Something between EM Console and CUCM \(a proxy or load balancer\) got no answer from CUCM in time/)
    }
    if (mode === 'reset-after') {
      assert.match(error.message, /closed the connection without answering/)
      assert.match((res.json() as { error: { action: string } }).error.action, /^CUCM closed the connection without answering/, 'not "check the host and port"')
      assert.doesNotMatch((res.json() as { error: { action: string } }).error.action, /device/, 'a logout of all users has no devices to look up')
    }
  }
  t.sim.setFaults({ mode: 'none' })
  const refused = await buildTestApp({ client: { port: 1 } })
  try {
    const res = await refused.inject({ method: 'POST', url: '/api/logout-all', payload: { confirm: 'LOG OUT ALL' } })
    const { error } = res.json() as { error: { code: string, outcome?: string, auditId: number } }
    assert.equal(error.code, 'EMAPI_UNREACHABLE')
    assert.equal(error.outcome, undefined, 'nothing was sent: no doubt')
    assert.equal(refused.audit.get(error.auditId)?.outcome, 'error')
  } finally {
    await refused.close()
  }
})
