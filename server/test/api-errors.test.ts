import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { SEED_OCCUPIED_DEVICE } from '../src/simulator/seed.ts'
import type { FaultMode } from '../src/simulator/server.ts'
import { buildTestApp, receivedOf, type TestApp, type TestAppOptions } from './helpers/app.ts'
import { holdWriteLock } from './helpers/database.ts'
import { eventually } from './helpers/eventually.ts'

const WRONG_PASSWORD = 'Wr0ng&<pass>'

interface Expected {
  status: number
  code: string
  emapiCode?: number
  action?: RegExp
  outcome: 'failure' | 'error'
}

/** Logs out a device through the API and checks the answer, the audit row and that the server still serves. */
async function expectMapped (options: TestAppOptions, setup: (t: TestApp) => void, expected: Expected): Promise<TestApp> {
  const t = await buildTestApp(options)
  try {
    setup(t)
    const res = await t.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/logout` })
    assert.equal(res.statusCode, expected.status, res.body)
    const { error } = res.json()
    assert.equal(error.code, expected.code)
    assert.equal(error.emapiCode, expected.emapiCode)
    if (expected.action !== undefined) assert.match(error.action, expected.action)
    assert.ok(typeof error.action === 'string' && error.action.length > 20, 'every error says what to do')
    const record = t.audit.get(error.auditId as number)
    assert.equal(record?.outcome, expected.outcome)
    // The look-up asked first failed: the person hears that no logout went out.
    if (record?.action === 'device-query') assert.match(error.message, /The logout was not sent: this look-up, asked first, failed\.$/)
    assert.equal(record?.errorCode, expected.code)
    for (const text of [res.body, JSON.stringify(record), t.logs.join('')]) {
      assert.ok(!text.includes(t.sim.credentials.appPassword), 'the CUCM password never leaves the client')
      assert.ok(!text.includes(WRONG_PASSWORD))
    }
    t.sim.setFaults({ mode: 'none' })
    assert.equal((await t.inject({ url: '/api/health' })).statusCode, 200)
    return t
  } finally {
    await t.close()
  }
}

describe('EMAPI failures map to HTTP statuses in one place', () => {
  test('code 3, wrong application user password → 502 naming the setting', async () => {
    await expectMapped({ client: { appPassword: WRONG_PASSWORD } }, () => {}, { status: 502, code: 'EMAPI_FAILURE', emapiCode: 3, action: /CUCM_APP_PASSWORD/, outcome: 'failure' })
  })

  test('code 10, no proxy rights → 502 naming the group', async () => {
    await expectMapped({ simulator: { proxyRights: false } }, () => {}, { status: 502, code: 'EMAPI_FAILURE', emapiCode: 10, action: /Standard EM Authentication Proxy Rights/, outcome: 'failure' })
  })

  test('code 26 after every retry → 503 with Retry-After', async () => {
    const t = await buildTestApp({ busyRetries: 2 })
    try {
      t.sim.setFaults({ busyBurst: 3 })
      const res = await t.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/logout` })
      assert.equal(res.statusCode, 503)
      assert.equal(res.headers['retry-after'], '5')
      assert.equal(res.json().error.emapiCode, 26)
      assert.equal(receivedOf(t.sim, 'logout').length, 3, 'one try and two retries')
    } finally {
      await t.close()
    }
  })

  test('a short burst of 26 is retried and succeeds', async () => {
    const t = await buildTestApp({ busyRetries: 2 })
    try {
      t.sim.setFaults({ busyBurst: 2 })
      const res = await t.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/logout` })
      assert.equal(res.statusCode, 200)
      assert.equal(t.audit.get(res.json().auditId as number)?.outcome, 'success')
    } finally {
      await t.close()
    }
  })
})

describe('what CUCM answered, in the log and the audit trail', () => {
  test('a failure CUCM answers is one warning in the log, without a stack, naming its audit record', async () => {
    const t = await buildTestApp({ client: { appPassword: WRONG_PASSWORD } })
    try {
      const res = await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}` })
      assert.equal(res.statusCode, 502)
      const { auditId } = res.json().error as { auditId: number }
      const meaning = 'wrong user ID or password'
      const raw = t.logs.filter((line) => line.includes(meaning))
      assert.equal(raw.length, 1, raw.join('\n'))
      assert.equal(raw[0]?.split(meaning).length, 2, `said once: ${raw[0] ?? ''}`)
      const line = JSON.parse(raw[0] ?? '{}') as { level: number, auditId?: number, emapiCode?: number, err?: unknown }
      assert.equal(line.level, 40, 'CUCM refused: a warning, not an error of EM Console')
      assert.equal(line.auditId, auditId)
      assert.equal(line.emapiCode, 3)
      assert.equal(line.err, undefined, 'no stack trace')
    } finally {
      await t.close()
    }
  })

  test('an outage that fails every request the same way is one warning a minute, not one per request; other words are their own', async () => {
    const t = await buildTestApp({ client: { appPassword: WRONG_PASSWORD } })
    try {
      const before = t.logs.length
      // A dashboard's polls and a script's look-ups while CUCM refuses the application user.
      for (let i = 0; i < 20; i++) assert.equal((await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}` })).statusCode, 502)
      assert.equal((await t.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/logout` })).statusCode, 502)
      const warnings = t.logs.slice(before).map((line) => JSON.parse(line) as { level: number, msg: string }).filter((line) => line.level === 40)
      assert.deepEqual(warnings.map((line) => line.msg), [
        'Invalid application user: wrong user ID or password (the same failure is logged at most once a minute; every request is in the audit trail)',
        'Invalid application user: wrong user ID or password. The logout was not sent: this look-up, asked first, failed. (the same failure is logged at most once a minute; every request is in the audit trail)'
      ])
    } finally {
      await t.close()
    }
  })

  test('a failure in the <errorMessage> form (no code) keeps CUCM\'s own words, and advises what holds whatever they say: the application user and password, then the service', async () => {
    const t = await buildTestApp({ client: { appPassword: WRONG_PASSWORD }, simulator: { variants: { failureForm: 'errorMessage' } } })
    try {
      const res = await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}` })
      assert.equal(res.statusCode, 502)
      const { error } = res.json() as { error: { emapiCode: number, message: string, action: string, auditId: number } }
      assert.equal(error.emapiCode, 0)
      assert.match(error.message, /Could not authenticate the application user/)
      // Not only "check the Extension Mobility service", which sent an admin away from a wrong password.
      assert.match(error.action, /without a code that says what went wrong: the message quotes its words.*first check CUCM_APP_USER and CUCM_APP_PASSWORD.*then the Extension Mobility service/)
      assert.match(t.audit.get(error.auditId)?.message ?? '', /Could not authenticate the application user/)
    } finally {
      await t.close()
    }
  })
})

describe('transport failures', () => {
  test('connection refused → 504 EMAPI_UNREACHABLE', async () => {
    await expectMapped({ client: { port: 1 } }, () => {}, { status: 504, code: 'EMAPI_UNREACHABLE', outcome: 'error' })
  })

  test('untrusted certificate → 502 EMAPI_TLS', async () => {
    await expectMapped({ client: { ca: undefined } }, () => {}, { status: 502, code: 'EMAPI_TLS', outcome: 'error' })
  })

  test('an expired certificate, a closed port: the message says what is wrong, the action what to do, once; the audit row (History) keeps both', async () => {
    const cases: Array<[TestAppOptions, RegExp, RegExp]> = [
      [{ simulator: { expiredCertificate: true } }, /^TLS verification failed \(CERT_HAS_EXPIRED\): the certificate EM Console trusts for CUCM \(CN=EM Console CUCM simulator, self-signed\) expired on \d{4}-\d{2}-\d{2}\. The logout was not sent/, /^Renew the Tomcat certificate on CUCM/],
      [{ client: { port: 1 } }, /^Cannot reach CUCM at https:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)\. The logout was not sent/, /^Check CUCM_HOST and CUCM_PORT/]
    ]
    for (const [options, message, action] of cases) {
      const t = await buildTestApp(options)
      try {
        const res = await t.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/logout` })
        const { error } = res.json()
        assert.match(error.message, message)
        assert.match(error.action, action)
        assert.doesNotMatch(error.message, /Renew|Check CUCM_HOST/, 'what to do is said once, as the action')
        const health = (await t.inject({ url: '/api/health' })).json().emapi.error
        assert.doesNotMatch(health.message, /Renew|Check CUCM_HOST/)
        assert.match(health.action, action)
        // History shows only the row's message: it says what to do too, in the answer's words (one place says it).
        const row = t.audit.get(error.auditId as number)?.message ?? ''
        assert.ok(row.includes(error.action as string), `${row} / ${error.action as string}`)
      } finally {
        await t.close()
      }
    }
  })

  const faults: Array<[FaultMode, number, string]> = [
    ['hang', 504, 'EMAPI_TIMEOUT'],
    ['reset', 504, 'EMAPI_UNREACHABLE'],
    ['http-503', 502, 'EMAPI_HTTP_STATUS'],
    ['malformed', 502, 'EMAPI_BAD_XML'],
    ['empty', 502, 'EMAPI_BAD_XML']
  ]
  for (const [mode, status, code] of faults) {
    test(`simulator fault "${mode}" → ${status} ${code}`, async () => {
      await expectMapped({ client: { timeoutMs: 500 } }, (t) => t.sim.setFaults({ mode }), { status, code, outcome: 'error' })
    })
  }

  test('a look-up whose connection CUCM drops changed nothing: its advice does not send the person to see what happened', async () => {
    const t = await buildTestApp()
    try {
      t.sim.setFaults({ mode: 'reset' })
      const res = await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}` })
      assert.equal(res.statusCode, 504, res.body)
      const { error } = res.json()
      assert.match(error.action, /^CUCM closed the connection without answering/)
      assert.doesNotMatch(error.action, /what happened/)
    } finally {
      await t.close()
    }
  })

  test('a monitoring check, signed in or not, reads a CUCM that does not answer and a database that refuses writes from the status code, and learns no host', async () => {
    const t = await buildTestApp({ client: { timeoutMs: 500 } })
    const lock = { release: () => {} }
    try {
      const ok = await t.inject('/api/health/check', 'none')
      assert.equal(ok.statusCode, 200, ok.body)
      assert.deepEqual(ok.json(), { status: 'ok', store: 'ok', clusters: [{ id: t.config.CUCM_CLUSTER_ID, emapi: 'ok' }] })

      t.sim.setFaults({ mode: 'hang' })
      const down = await t.inject('/api/health/check', 'none')
      assert.equal(down.statusCode, 503, down.body)
      assert.deepEqual(down.json(), { status: 'failing', store: 'ok', clusters: [{ id: t.config.CUCM_CLUSTER_ID, emapi: 'EMAPI_TIMEOUT' }] })
      t.sim.setFaults({ mode: 'none' })

      // A look-up's record cannot be written while another connection holds the lock.
      Object.assign(lock, holdWriteLock(t.databasePath))
      await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}` })
      const locked = await eventually(async () => {
        const res = await t.inject('/api/health/check', 'none')
        return res.json().store === 'refusing-writes' ? res : undefined
      })
      assert.equal(locked.statusCode, 503)
      for (const text of [ok.body, down.body, locked.body]) {
        assert.ok(!text.includes(t.config.CUCM_HOST ?? '127.0.0.1') && !text.includes(String(t.sim.port)), `no host or port to an anonymous caller: ${text}`)
        assert.ok(!/locked|version/i.test(text), `no details: ${text}`)
      }
    } finally {
      lock.release()
      await t.close()
    }
  })

  test('an application user CUCM refuses is not sent again by health polls or a monitoring check (a credential policy would lock it): a person\'s Check now and actions still are', async () => {
    const t = await buildTestApp({ client: { appPassword: WRONG_PASSWORD } })
    try {
      const refused = (await t.inject({ url: '/api/health' })).json().emapi
      assert.equal(refused.error.emapiCode, 3)
      assert.match(refused.error.action, /CUCM_APP_PASSWORD.*only when a person checks \(Check now\) or the settings change/)
      const sent = t.sim.stats.requests
      // The dashboard's polls and a monitor's checks, each of which probed (the tests' cache time is 0).
      for (let i = 0; i < 3; i++) {
        assert.deepEqual((await t.inject({ url: '/api/health' })).json().emapi, refused)
        const check = await t.inject('/api/health/check', 'none')
        assert.equal(check.statusCode, 503)
        assert.equal(check.json().clusters[0].emapi, 'EMAPI_FAILURE')
      }
      assert.equal(t.sim.stats.requests, sent, 'no probe sent the refused credentials again')
      // A person's action is sent, refused as ever.
      assert.equal((await t.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/logout` })).statusCode, 502)
      const acted = t.sim.stats.requests
      assert.ok(acted > sent)
      // A person's Check now asks again: refused, then (CUCM's user given that password) answered, and probes go on.
      assert.equal((await t.inject({ url: '/api/health?fresh=true' })).json().emapi.error.emapiCode, 3)
      assert.equal(t.sim.stats.requests, acted + 1)
      t.sim.state.setAppUser({ id: t.sim.credentials.appUser, password: WRONG_PASSWORD, proxyRights: true })
      assert.equal((await t.inject({ url: '/api/health?fresh=true' })).json().emapi.reachable, true)
      assert.equal((await t.inject('/api/health/check', 'none')).statusCode, 200)
      assert.equal(t.sim.stats.requests, acted + 3)
    } finally {
      await t.close()
    }
  })

  test('an application user CUCM refused, then took for a person\'s action: health probes again and says so, without a Check now', async () => {
    // It used to say "refused" to every poll until someone pressed Check now, with look-ups working.
    const t = await buildTestApp({ client: { appPassword: WRONG_PASSWORD } })
    try {
      assert.equal((await t.inject({ url: '/api/health' })).json().emapi.error.emapiCode, 3)
      // CUCM's user is given that password (the admin mended it on CUCM's side); a person looks a phone up.
      t.sim.state.setAppUser({ id: t.sim.credentials.appUser, password: WRONG_PASSWORD, proxyRights: true })
      assert.equal((await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}` })).statusCode, 200)
      const sent = t.sim.stats.requests
      const health = (await t.inject({ url: '/api/health' })).json().emapi
      assert.equal(health.reachable, true, JSON.stringify(health))
      assert.equal(t.sim.stats.requests, sent + 1, 'the poll probed once')
      assert.equal((await t.inject('/api/health/check', 'none')).statusCode, 200)
    } finally {
      await t.close()
    }
  })

  test('an application user refused after a first probe that took over 2 s, then taken: the next poll waits for the new probe, not "checking" at once', async () => {
    const t = await buildTestApp({ tuning: { healthCacheMs: 200 }, client: { timeoutMs: 10_000 } })
    try {
      t.sim.setFaults({ latencyMs: 2500 })
      // The first look after a start waits 2 s, then says "checking"; the probe's answer comes after.
      assert.equal((await t.inject({ url: '/api/health' })).json().emapi.checking, true)
      await eventually(async () => (await t.inject({ url: '/api/health' })).json().emapi.reachable === true ? true : undefined, 10_000)
      t.sim.setFaults({ latencyMs: 0 })
      // CUCM's user is given another password: a person's Check now hears it refused; then it is mended and a person looks a phone up.
      const { appUser, appPassword } = t.sim.credentials
      t.sim.state.setAppUser({ id: appUser, password: WRONG_PASSWORD, proxyRights: true })
      await eventually(async () => (await t.inject({ url: '/api/health?fresh=true' })).json().emapi.error?.emapiCode === 3 ? true : undefined)
      t.sim.state.setAppUser({ id: appUser, password: appPassword, proxyRights: true })
      assert.equal((await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}` })).statusCode, 200)
      // CUCM answers at once: the poll hears it, not a first probe's "Waiting for CUCM's first answer".
      const health = (await t.inject({ url: '/api/health' })).json().emapi
      assert.deepEqual([health.reachable, health.checking], [true, undefined], JSON.stringify(health))
    } finally {
      await t.close()
    }
  })

  test('health reports an unreachable CUCM without failing itself', async () => {
    const t = await buildTestApp({ client: { port: 1 } })
    try {
      const res = await t.inject({ url: '/api/health' })
      assert.equal(res.statusCode, 200)
      assert.equal(res.json().emapi.reachable, false)
      assert.equal(res.json().emapi.error.code, 'EMAPI_UNREACHABLE')
      assert.equal(t.audit.page({ action: 'device-query' }, 10).items.length, 0, 'the health probe is not audited')
    } finally {
      await t.close()
    }
  })
})
