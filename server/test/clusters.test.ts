import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { generateKeyPairSync } from 'node:crypto'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { AuditPage, AuditRecord, Cluster, ClusterCheck, ClusterList, Health } from '@em-console/shared/schemas'
import Database from 'better-sqlite3'
import { SEED_EMAIL_USER, SEED_OCCUPIED_DEVICE, SEED_USER } from '../src/simulator/seed.ts'
import { startSimulator, type Simulator } from '../src/simulator/server.ts'
import { buildTestApp, type TestApp } from './helpers/app.ts'

/** A password no fixture uses, so finding it anywhere means it leaked. */
const SECRET = 'Branch-Secret-Passw0rd!-7f3a9c'
const AXL_SECRET = 'Axl-Branch-Secret-5e1b'

let t: TestApp
let branch: Simulator
let lab: Simulator

function bodyFor (sim: Simulator, more: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'branch', name: 'Branch office', host: '127.0.0.1', port: sim.port, appUser: sim.credentials.appUser, appPassword: SECRET, caPem: sim.caPem, timeoutMs: 3000, ...more }
}

async function list (): Promise<Cluster[]> {
  const res = await t.inject({ url: '/api/clusters' })
  assert.equal(res.statusCode, 200, res.body)
  return (res.json() as ClusterList).clusters
}

/** Every file of the database (the main file and its write-ahead log), as text. */
function databaseText (): string {
  const dir = join(t.databasePath, '..')
  return readdirSync(dir).filter((f) => f.startsWith('audit.db')).map((f) => readFileSync(join(dir, f)).toString('latin1')).join('\n')
}

before(async () => {
  branch = await startSimulator({ appPassword: SECRET, axl: { password: AXL_SECRET } })
  lab = await startSimulator({ appPassword: SECRET })
  t = await buildTestApp()
})
after(async () => {
  await t.close()
  await branch.close()
  await lab.close()
})

describe('clusters from the API', () => {
  test('the environment\'s cluster is listed first, read-only, without its password', async () => {
    const [first, ...rest] = await list()
    assert.equal(rest.length, 0)
    assert.equal(first?.id, 'default')
    assert.equal(first?.source, 'environment')
    assert.equal(first?.readOnly, true)
    assert.equal(first?.appPasswordSet, true)
    assert.equal(first?.health?.reachable, true)
    const text = JSON.stringify(await list())
    assert.ok(!text.includes(t.sim.credentials.appPassword), 'the environment password is in the answer')
  })

  test('adding one: stored, used at once, its health shown, the password never returned', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/clusters', payload: bodyFor(branch, { axlUser: branch.axl.credentials.user, axlPassword: AXL_SECRET, axlPort: branch.port }) })
    assert.equal(res.statusCode, 201, res.body)
    const created = res.json() as Cluster
    assert.equal(created.id, 'branch')
    assert.equal(created.source, 'database')
    assert.equal(created.readOnly, false)
    assert.equal(created.appPasswordSet, true)
    assert.equal(created.axlPasswordSet, true)
    assert.equal(created.axlUser, branch.axl.credentials.user)
    assert.equal(created.port, branch.port)
    assert.equal(created.maxConcurrency, 4, 'defaults to EMAPI_MAX_CONCURRENCY')
    assert.equal(created.multipleLogins, 'not-allowed', 'CUCM\'s default')
    assert.equal(created.health?.reachable, true, JSON.stringify(created.health))
    assert.ok(!res.body.includes(SECRET) && !res.body.includes(AXL_SECRET))
    assert.deepEqual((await list()).map((c) => c.id), ['default', 'branch'])

    // Its own client and EmService: a look-up goes to the branch simulator and is audited under it.
    const requests = branch.stats.requests
    const registered = t.runtime.clusters.require('BRANCH')
    assert.equal(registered.id, 'branch')
    assert.notEqual(registered.em, t.runtime.em)
    const [status] = await registered.em.deviceStatus({ actor: 'test', trigger: 'api' }, [SEED_OCCUPIED_DEVICE])
    assert.equal(status?.currentUser, SEED_USER)
    assert.ok(branch.stats.requests > requests)
    assert.ok(registered.axl !== undefined, 'its AXL client exists')
    assert.ok(await registered.axl.countPhones() > 0)
  })

  test('added without a name: named by its host, and its port when not CUCM\'s 8443, so lab clusters on one host read apart', async () => {
    const added: string[] = []
    try {
      for (const [id, sim] of [['lab-a', branch], ['lab-b', lab]] as const) {
        const payload = bodyFor(sim, { id })
        delete payload.name
        const res = await t.inject({ method: 'POST', url: '/api/clusters', payload })
        assert.equal(res.statusCode, 201, res.body)
        added.push((res.json() as Cluster).name)
      }
      assert.deepEqual(added, [`127.0.0.1:${branch.port}`, `127.0.0.1:${lab.port}`])
    } finally {
      for (const id of ['lab-a', 'lab-b']) await t.inject({ method: 'DELETE', url: `/api/clusters/${id}` })
    }
  })

  test('bad input: 400 naming the field; a taken id or the environment\'s: 409', async () => {
    const unsendable = await t.inject({ method: 'POST', url: '/api/clusters', payload: bodyFor(branch, { id: 'xml-password', appPassword: 'pass\uffffword' }) })
    assert.equal(unsendable.statusCode, 400, unsendable.body)
    assert.equal(unsendable.json().error.field, 'appPassword')
    assert.ok(!unsendable.body.includes('pass\uffffword'), 'the password is not echoed')
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ port: 70_000 }, 'port'],
      [{ id: 'no spaces' }, 'id'],
      [{ id: '-leading-dash' }, 'id'],
      // ?cluster=all names every cluster: a logout-all of a cluster "all" logged out every one.
      [{ id: 'all' }, 'id'],
      [{ id: 'ALL' }, 'id'],
      [{ host: 'cucm/../x' }, 'host'],
      // A port typed into the host (its colon is an IPv6 address's): no URL can be made of it, the
      // cluster was saved all the same (500), and every later start failed on it.
      [{ host: 'cucm.example.org:8443' }, 'host'],
      [{ host: '10.1.1.256' }, 'host'],
      // A last label of 0x and hex digits is a number to a URL too: "Invalid URL" as above.
      [{ host: 'cucm.lab.0xab' }, 'host'],
      [{ axlUser: 'axl', axlPassword: 'x', axlHost: 'pub.example.org:8443' }, 'axlHost'],
      [{ appPassword: '' }, 'appPassword'],
      [{ timeoutMs: 5 }, 'timeoutMs'],
      [{ maxConcurrency: 0 }, 'maxConcurrency'],
      [{ multipleLogins: 'sometimes' }, 'multipleLogins'],
      [{ timezone: 'Mars/Olympus_Mons' }, 'timezone'],
      [{ caPem: 'not a certificate' }, 'caPem'],
      [{ caPem: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n' }, 'caPem'],
      // A key pasted after the certificate without its END line, or with another END line: still a key.
      [{ caPem: `${lab.caPem}\n-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n` }, 'caPem'],
      [{ caPem: `${lab.caPem}\n-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END EC PRIVATE KEY-----\n` }, 'caPem'],
      [{ axlUser: 'axl' }, 'axlPassword'],
      [{ axlHost: '10.0.0.1' }, 'axlUser'],
      [{ axlUser: 'axl', axlPassword: 'x', axlVersion: '14' }, 'axlVersion'],
      // HTTP Basic ends the user ID at its first colon (AXL PROTOCOL.md §1): CUCM would read another user.
      [{ axlUser: 'domain:axl', axlPassword: 'x' }, 'axlUser'],
      [{ unknown: true }, 'unknown']
    ]
    for (const [change, field] of cases) {
      const res = await t.inject({ method: 'POST', url: '/api/clusters', payload: { ...bodyFor(lab, { id: 'lab' }), ...change } })
      assert.equal(res.statusCode, 400, `${JSON.stringify(change)}: ${res.body}`)
      const error = (res.json() as { error: { code: string, field?: string, message: string } }).error
      assert.equal(error.code, 'VALIDATION')
      assert.match(error.field ?? error.message, new RegExp(field), `${JSON.stringify(change)} names ${field}: ${res.body}`)
      assert.ok(!res.body.includes(SECRET))
    }
    for (const field of ['id', 'host', 'appUser', 'appPassword']) {
      const payload = bodyFor(lab, { id: 'lab' })
      delete payload[field]
      const res = await t.inject({ method: 'POST', url: '/api/clusters', payload })
      assert.equal(res.statusCode, 400, res.body)
      assert.equal((res.json() as { error: { field?: string } }).error.field, field)
    }
    for (const id of ['branch', 'Branch', 'default']) {
      const res = await t.inject({ method: 'POST', url: '/api/clusters', payload: bodyFor(lab, { id }) })
      assert.equal(res.statusCode, 409, res.body)
      assert.equal((res.json() as { error: { code: string, field?: string } }).error.code, 'CLUSTER_EXISTS')
    }
    assert.deepEqual((await list()).map((c) => c.id), ['default', 'branch'], 'nothing was added')
  })

  test('a private key in DER, chosen as the CA file by mistake: refused as a key, not as a damaged certificate, and not stored', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey
    const keys = [ec.export({ format: 'der', type: 'pkcs8' }), ec.export({ format: 'der', type: 'sec1' }), rsa.export({ format: 'der', type: 'pkcs1' }),
      ec.export({ format: 'der', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'x' })]
    for (const der of keys) {
      // As the dashboard sends a binary file: its bytes written out as a PEM certificate.
      const caPem = `-----BEGIN CERTIFICATE-----\n${(der.toString('base64').match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----`
      const res = await t.inject({ method: 'POST', url: '/api/clusters', payload: bodyFor(lab, { id: 'keyed', caPem }) })
      assert.equal(res.statusCode, 400, res.body)
      const error = (res.json() as { error: { field?: string, message: string } }).error
      assert.equal(error.field, 'caPem')
      assert.match(error.message, /private key/)
    }
    assert.ok(!(await list()).some((c) => c.id === 'keyed'), 'nothing was added')
  })

  test('viewers and operators read the clusters but change nothing', async () => {
    assert.equal((await t.inject({ url: '/api/clusters' }, 'viewer')).statusCode, 200)
    for (const role of ['viewer', 'operator'] as const) {
      assert.equal((await t.inject({ method: 'POST', url: '/api/clusters', payload: bodyFor(lab, { id: 'lab' }) }, role)).statusCode, 403)
      assert.equal((await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { name: 'x' } }, role)).statusCode, 403)
      assert.equal((await t.inject({ method: 'DELETE', url: '/api/clusters/branch' }, role)).statusCode, 403)
      assert.equal((await t.inject({ method: 'POST', url: '/api/clusters/branch/check' }, role)).statusCode, 403)
    }
  })

  test('an edit takes effect without a restart: the entry is swapped and the old client closed', async () => {
    const before = t.runtime.clusters.require('branch')
    const wrong = await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { appPassword: 'not-the-password' } })
    assert.equal(wrong.statusCode, 200, wrong.body)
    assert.equal((wrong.json() as Cluster).health?.error?.emapiCode, 3, 'the new password is in use at once')
    const swapped = t.runtime.clusters.require('branch')
    assert.notEqual(swapped.client, before.client)
    assert.notEqual(swapped.em, before.em)
    // The replaced client refuses new requests: nothing keeps using the old settings.
    await assert.rejects(before.client.deviceUserQuery([SEED_OCCUPIED_DEVICE]))

    // Moved to another CUCM, with the right password again; a field left out keeps its value.
    // Saved passwords go only where they were saved for: a move without them is refused, and nothing is sent.
    const labRequests = lab.stats.requests
    for (const url of ['/api/clusters/branch', '/api/clusters/branch/check']) {
      const method = url.endsWith('/check') ? 'POST' : 'PATCH'
      const noPassword = await t.inject({ method, url, payload: { port: lab.port, caPem: lab.caPem } })
      assert.equal(noPassword.statusCode, 400, noPassword.body)
      assert.equal(noPassword.json().error.field, 'appPassword')
      const noAxlPassword = await t.inject({ method, url, payload: { port: lab.port, caPem: lab.caPem, appPassword: SECRET } })
      assert.equal(noAxlPassword.statusCode, 400, noAxlPassword.body)
      assert.equal(noAxlPassword.json().error.field, 'axlPassword')
      const insecure = await t.inject({ method, url, payload: { tlsInsecure: true } })
      assert.equal(insecure.json().error.field, 'appPassword', insecure.body)
    }
    assert.equal(lab.stats.requests, labRequests, 'no request reached the other host')
    assert.equal(t.runtime.clusters.require('branch').settings.port, branch.port)
    const moved = await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { port: lab.port, caPem: lab.caPem, appPassword: SECRET, axlPassword: AXL_SECRET, name: 'Branch (moved)' } })
    assert.equal(moved.statusCode, 200, moved.body)
    const cluster = moved.json() as Cluster
    assert.equal(cluster.health?.reachable, true, JSON.stringify(cluster.health))
    assert.equal(cluster.name, 'Branch (moved)')
    assert.equal(cluster.appUser, lab.credentials.appUser)
    assert.equal(cluster.axlUser, branch.axl.credentials.user, 'the AXL settings were kept')
    const requests = lab.stats.requests
    await t.runtime.clusters.require('branch').em.deviceStatus({ actor: 'test', trigger: 'api' }, [SEED_OCCUPIED_DEVICE])
    assert.ok(lab.stats.requests > requests, 'the look-up went to the new CUCM')

    // Back to the branch simulator for the tests that follow.
    const back = await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { port: branch.port, caPem: branch.caPem, appPassword: SECRET, axlPassword: AXL_SECRET } })
    assert.equal((back.json() as Cluster).health?.reachable, true, back.body)
    // The same certificate sent again (a form trims it) is no change of trust: no password asked.
    const samePem = await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { caPem: `${(branch.caPem ?? '').trim()}\n\n` } })
    assert.equal(samePem.statusCode, 200, samePem.body)
  })

  test('a cluster whose health fails says what to do, in its own fields: its password refused, its port closed', async () => {
    try {
      const refused = (await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { appPassword: 'not-the-password' } })).json() as Cluster
      assert.equal(refused.health?.error?.emapiCode, 3, JSON.stringify(refused.health))
      assert.match(refused.health?.error?.action ?? '', /application user and password \(Settings → Clusters, Edit\)/)
      const closed = (await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { port: 1, appPassword: SECRET } })).json() as Cluster
      assert.equal(closed.health?.error?.code, 'EMAPI_UNREACHABLE', JSON.stringify(closed.health))
      assert.match(closed.health?.error?.action ?? '', /the cluster's host and port \(Settings → Clusters, Edit\)/)
      const health = (await t.inject({ url: '/api/health' })).json() as Health
      assert.equal(health.clusters[1]?.emapi.error?.action, closed.health?.error?.action)
      assert.doesNotMatch(JSON.stringify(health), new RegExp(SECRET))
    } finally {
      const back = await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { port: branch.port, appPassword: SECRET } })
      assert.equal((back.json() as Cluster).health?.reachable, true, back.body)
    }
  })

  test('its Multiple Login Behavior: a forced login there follows it; the change is audited and kept over a restart', async () => {
    branch.state.multipleLogins = 'allowed'
    const login = async (): Promise<{ statusCode: number, body: string, json: () => { error?: { code: string } } }> =>
      await t.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/login?cluster=branch`, payload: { userId: SEED_EMAIL_USER, force: true } })
    try {
      const refused = await login()
      assert.equal(refused.statusCode, 409, refused.body)
      assert.equal(refused.json().error?.code, 'USER_LOGGED_IN_ELSEWHERE')
      const set = await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { multipleLogins: 'allowed' } })
      assert.equal(set.statusCode, 200, set.body)
      assert.equal((set.json() as Cluster).multipleLogins, 'allowed')
      const forced = await login()
      assert.equal(forced.statusCode, 200, forced.body)
      const [change] = ((await t.inject({ url: '/api/audit?cluster=branch&action=cluster-update&limit=1' })).json() as AuditPage).items
      assert.match(change?.message ?? '', /multiple login behavior not-allowed → allowed/)
      t = await t.restart()
      assert.equal((await list())[1]?.multipleLogins, 'allowed')
    } finally {
      branch.reset()
      branch.state.multipleLogins = 'not-allowed'
      const back = await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { multipleLogins: 'not-allowed' } })
      assert.equal(back.statusCode, 200, back.body)
    }
  })

  test('a time zone typed in another case is kept as the time zone database spells it', async () => {
    const set = await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { timezone: 'america/chicago' } })
    assert.equal(set.statusCode, 200, set.body)
    assert.equal((set.json() as Cluster).timezone, 'America/Chicago')
    // The same zone typed again another way is no change.
    const again = await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { timezone: 'AMERICA/CHICAGO' } })
    assert.equal(again.statusCode, 200, again.body)
    const [change] = ((await t.inject({ url: '/api/audit?cluster=branch&action=cluster-update&limit=1' })).json() as AuditPage).items
    assert.doesNotMatch(change?.message ?? '', /AMERICA/)
    const back = await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { timezone: null } })
    assert.equal((back.json() as Cluster).timezone, null, back.body)
  })

  test('disabled: listed without health, refused by the registry; enabled again: used again', async () => {
    const off = await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { enabled: false } })
    assert.equal(off.statusCode, 200, off.body)
    assert.equal((off.json() as Cluster).health, null)
    assert.equal(t.runtime.clusters.get('branch'), undefined)
    assert.deepEqual(t.runtime.clusters.list().map((c) => c.id), ['default'])
    assert.throws(() => t.runtime.clusters.require('branch'), (error: Error & { code?: string }) => error.code === 'CLUSTER_DISABLED')
    assert.throws(() => t.runtime.clusters.require('nowhere'), (error: Error & { code?: string }) => error.code === 'NOT_FOUND')
    const health = (await t.inject({ url: '/api/health' })).json() as Health
    assert.deepEqual(health.clusters.map((c) => c.id), ['default'])
    const on = await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { enabled: true } })
    assert.equal((on.json() as Cluster).health?.reachable, true)
  })

  test('GET /api/health reports every cluster, the first one also at the top level', async () => {
    const health = (await t.inject({ url: '/api/health' })).json() as Health
    assert.deepEqual(health.clusters.map((c) => c.id), ['default', 'branch'])
    assert.deepEqual(health.cucm, { host: t.sim.host, port: t.sim.port })
    assert.equal(health.emapi.reachable, true)
    assert.deepEqual(health.clusters[1]?.cucm, { host: '127.0.0.1', port: branch.port })
    assert.equal(health.clusters[1]?.emapi.reachable, true)
  })

  test('checks: reachable, TLS, credentials, proxy rights and AXL, each with what to do; nothing saved', async () => {
    const ok = await t.inject({ method: 'POST', url: '/api/clusters/branch/check' })
    assert.equal(ok.statusCode, 200, ok.body)
    const good = ok.json() as ClusterCheck
    assert.equal(good.ok, true, ok.body)
    assert.deepEqual(good.steps.map((s) => s.name), ['configuration', 'reachable', 'tls', 'service', 'credentials', 'proxy-rights', 'axl'])

    const env = (await t.inject({ method: 'POST', url: '/api/clusters/default/check' })).json() as ClusterCheck
    assert.equal(env.ok, true)

    // An edit checked before it is saved: the wrong password fails, and is not stored.
    const wrong = (await t.inject({ method: 'POST', url: '/api/clusters/branch/check', payload: { appPassword: 'nope-nope' } })).json() as ClusterCheck
    assert.equal(wrong.ok, false)
    const credentials = wrong.steps.find((s) => s.name === 'credentials')
    assert.equal(credentials?.ok, false)
    assert.match(credentials?.fix ?? '', /password/i)
    assert.equal(t.runtime.clusters.require('branch').settings.appPassword, SECRET)
    // The AXL user is another account: checked as well, so a second wrong password is not found one check later.
    assert.equal(wrong.steps.find((s) => s.name === 'axl')?.ok, true, 'its AXL password is right')
    const both = (await t.inject({ method: 'POST', url: '/api/clusters/branch/check', payload: { appPassword: 'nope-nope', axlPassword: 'nope-axl' } })).json() as ClusterCheck
    assert.equal(both.steps.find((s) => s.name === 'credentials')?.ok, false)
    const axl = both.steps.find((s) => s.name === 'axl')
    assert.equal(axl?.ok, false, JSON.stringify(both.steps))
    assert.match(axl?.fix ?? '', /AXL user and password/)

    // A release that refuses the AXL version set: the check passes in the one that answered, and says to set it.
    branch.axl.setVersions(['12.5'])
    try {
      const older = (await t.inject({ method: 'POST', url: '/api/clusters/branch/check' })).json() as ClusterCheck
      const step = older.steps.find((s) => s.name === 'axl')
      assert.equal(step?.ok, true, JSON.stringify(older.steps))
      assert.match(step?.message ?? '', /in AXL version 12\.5: CUCM refused version 14\.0/)
      assert.equal(step?.fix, 'Set the cluster\'s AXL version to 12.5, so that EM Console asks in it first.')
    } finally {
      branch.axl.reset()
    }
    assert.equal(((await t.inject({ method: 'POST', url: '/api/clusters/branch/check' })).json() as ClusterCheck).steps.find((s) => s.name === 'axl')?.fix, undefined)

    // A cluster not saved yet, whose certificate is not trusted: the TLS step says what to do, in the dashboard's words.
    const untrusted = await t.inject({ method: 'POST', url: '/api/clusters/check', payload: { ...bodyFor(lab, { id: 'lab' }), caPem: undefined } })
    assert.equal(untrusted.statusCode, 200, untrusted.body)
    const tls = (untrusted.json() as ClusterCheck).steps.find((s) => s.name === 'tls')
    assert.equal(tls?.ok, false)
    assert.match(tls?.fix ?? '', /PEM/)
    assert.doesNotMatch(tls?.fix ?? '', /CUCM_CA_FILE/)
    assert.equal((await list()).some((c) => c.id === 'lab'), false)

    const env409 = await t.inject({ method: 'POST', url: '/api/clusters/default/check', payload: { port: 1 } })
    assert.equal(env409.statusCode, 409)
    assert.equal((await t.inject({ method: 'POST', url: '/api/clusters/nowhere/check' })).statusCode, 404)
  })

  test('a CUCM that takes the request but answers too late is reachable: the check names the slow service and the time limit, not the host or a firewall', async () => {
    lab.setFaults({ mode: 'hang' })
    try {
      const res = await t.inject({ method: 'POST', url: '/api/clusters/check', payload: bodyFor(lab, { id: 'slow', timeoutMs: 400 }) })
      assert.equal(res.statusCode, 200, res.body)
      const steps = (res.json() as ClusterCheck).steps
      assert.equal(steps.find((s) => s.name === 'reachable')?.ok, true, res.body)
      assert.equal(steps.find((s) => s.name === 'tls')?.ok, true, res.body)
      const service = steps.find((s) => s.name === 'service')
      assert.equal(service?.ok, false, res.body)
      assert.match(service?.message ?? '', /did not answer within 400 ms/)
      assert.match(service?.fix ?? '', /raise the cluster's time limit/)
      assert.doesNotMatch(service?.fix ?? '', /firewall|host and port/)
    } finally {
      lab.setFaults({ mode: 'none' })
    }
  })

  test('an AXL port left empty is the cluster\'s own port, as CUCM serves AXL and EMAPI on one port: a simulator on another port checks whole', async () => {
    assert.notEqual(branch.port, 8443)
    const res = await t.inject({ method: 'POST', url: '/api/clusters/check', payload: bodyFor(branch, { id: 'same-port', axlUser: branch.axl.credentials.user, axlPassword: AXL_SECRET }) })
    assert.equal(res.statusCode, 200, res.body)
    const check = res.json() as ClusterCheck
    assert.equal(check.steps.find((s) => s.name === 'axl')?.ok, true, res.body)
    assert.equal(check.ok, true, res.body)
  })

  test('a dashboard cluster\'s failures and setup name its fields in Settings, not the environment\'s keys', async () => {
    const wrong = (await t.inject({ method: 'POST', url: '/api/clusters/check', payload: bodyFor(lab, { id: 'not-saved', appPassword: 'nope-nope' }) })).json() as ClusterCheck
    const credentials = wrong.steps.find((s) => s.name === 'credentials')
    // Not saved yet: its fields are the add dialog's, on screen; it has no Edit in Settings → Clusters.
    assert.match(credentials?.fix ?? '', /the cluster's application user and password: they must be/)
    for (const step of wrong.steps) assert.doesNotMatch(`${step.message} ${step.fix ?? ''}`, /CUCM_|EMAPI_MAX|Settings → Clusters/, step.name)

    const added = [
      await t.inject({ method: 'POST', url: '/api/clusters', payload: bodyFor(lab, { id: 'wrong-password', appPassword: 'nope-nope' }) }),
      await t.inject({ method: 'POST', url: '/api/clusters', payload: bodyFor(lab, { id: 'closed-port', port: 1 }) })
    ]
    for (const res of added) assert.equal(res.statusCode, 201, res.body)
    try {
      const refused = await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}?cluster=wrong-password` })
      assert.equal(refused.statusCode, 502, refused.body)
      assert.match(refused.json().error.action as string, /^Check the cluster's application user and password \(Settings → Clusters, Edit\)/)
      const unreachable = await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}?cluster=closed-port` })
      assert.equal(unreachable.statusCode, 504, unreachable.body)
      // What to do is the action (the message says what is wrong); the audit record, shown alone, says both.
      assert.match(unreachable.json().error.action as string, /^Check the cluster's host and port \(Settings → Clusters, Edit\), that this server reaches CUCM/)
      assert.ok((t.audit.get(unreachable.json().error.auditId as number)?.message ?? '').includes(unreachable.json().error.action as string))
      for (const res of [refused, unreachable]) {
        assert.doesNotMatch(res.body, /CUCM_/)
        assert.doesNotMatch(t.audit.get(res.json().error.auditId as number)?.message ?? '', /CUCM_/, 'nor the audit record')
      }
      const inventory = (await t.inject({ url: '/api/inventory' })).json() as { clusters: Array<{ cluster: string, setup: { message: string, keys: string[] } | null }> }
      const setup = inventory.clusters.find((c) => c.cluster === 'closed-port')?.setup
      assert.match(setup?.message ?? '', /Settings → Clusters/)
      assert.doesNotMatch(setup?.message ?? '', /restart/)
      assert.equal(setup?.keys[0], 'AXL user')
      // The environment's cluster keeps its keys.
      assert.equal(inventory.clusters.find((c) => c.cluster === 'default')?.setup?.keys[0], 'CUCM_AXL_USER')
      // An AXL refusal of a dashboard cluster: its inventory's error says what to fix in its fields.
      const axl = await t.inject({ method: 'POST', url: '/api/clusters', payload: bodyFor(branch, { id: 'wrong-axl', axlUser: branch.axl.credentials.user, axlPassword: 'not-the-axl-password', axlPort: branch.port }) })
      assert.equal(axl.statusCode, 201, axl.body)
      await t.inject({ method: 'POST', url: '/api/inventory/refresh?cluster=wrong-axl&wait=true' })
      const axlRefused = ((await t.inject({ url: '/api/inventory' })).json() as { clusters: Array<{ cluster: string, lastError: { message: string, action: string } | null }> }).clusters.find((c) => c.cluster === 'wrong-axl')?.lastError
      assert.match(axlRefused?.action ?? '', /the cluster's AXL user and password/)
      assert.doesNotMatch(`${axlRefused?.message ?? ''} ${axlRefused?.action ?? ''}`, /CUCM_/)
    } finally {
      for (const id of ['wrong-password', 'closed-port', 'wrong-axl']) await t.inject({ method: 'DELETE', url: `/api/clusters/${id}` })
    }
  })

  test('the environment\'s cluster is read-only everywhere: 409 on edit and delete', async () => {
    const patch = await t.inject({ method: 'PATCH', url: '/api/clusters/default', payload: { name: 'Renamed' } })
    assert.equal(patch.statusCode, 409, patch.body)
    assert.equal((patch.json() as { error: { code: string } }).error.code, 'CLUSTER_READ_ONLY')
    const del = await t.inject({ method: 'DELETE', url: '/api/clusters/default' })
    assert.equal(del.statusCode, 409)
    assert.equal((await list())[0]?.name, `${t.sim.host}:${t.sim.port}`, 'named by CUCM_HOST and CUCM_PORT (not 8443)')
  })

  test('every change is audited under its cluster, without a secret; ?cluster= filters; CSV has the column', async () => {
    const page = (await t.inject({ url: '/api/audit?cluster=branch&limit=100' })).json() as AuditPage
    assert.ok(page.items.length > 0)
    assert.ok(page.items.every((item) => item.cluster === 'branch'))
    const changes = page.items.filter((item) => item.action.startsWith('cluster-')).map((item) => item.action)
    assert.equal(changes.at(-1), 'cluster-create', 'newest first: the creation is the oldest change')
    assert.ok(changes.includes('cluster-create') && changes.includes('cluster-update'))
    const created = page.items.find((item) => item.action === 'cluster-create')
    assert.match(created?.message ?? '', /Added cluster branch \(Branch office\)/)
    const moved = page.items.find((item) => item.message?.includes('Branch (moved)') === true)
    assert.match(moved?.message ?? '', /port \d+ → \d+; application password replaced; CA certificate replaced/)
    // The look-up through the branch's EmService names the branch; the environment's names its own.
    assert.ok(page.items.some((item) => item.action === 'device-query'))
    const envLookups = (await t.inject({ url: '/api/audit?cluster=default&action=device-query' })).json() as AuditPage
    await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}` })
    const after = (await t.inject({ url: '/api/audit?cluster=default&action=device-query' })).json() as AuditPage
    assert.equal(after.items.length, envLookups.items.length + 1)
    const record = (await t.inject({ url: `/api/audit/${after.items[0]?.id ?? 0}` })).json() as AuditRecord
    assert.equal(record.cluster, 'default')
    // Sign-ins concern no cluster.
    const signIns = (await t.inject({ url: '/api/audit?action=sign-in&limit=1' })).json() as AuditPage
    assert.equal(signIns.items[0]?.cluster, null)

    const csv = await t.inject({ url: '/api/audit/export.csv?cluster=branch' })
    assert.equal(csv.statusCode, 200)
    const [header, first] = csv.body.replace('\uFEFF', '').split('\r\n')
    // Counted from the row's end: an earlier cell (the message) may hold commas; those after it (times) do not.
    const columns = header?.split(',') ?? []
    assert.ok(columns.includes('cluster'), header)
    assert.equal(first?.split(',').at(columns.indexOf('cluster') - columns.length), 'branch')

    const everything = (await t.inject({ url: '/api/audit?limit=500' })).body
    assert.ok(!everything.includes(SECRET) && !everything.includes(AXL_SECRET))
  })

  test('secrets: encrypted in the database file, never in logs; the key file is 0600 beside the database', async () => {
    // Everything queued is on disk before the files are read.
    await t.store.write(() => {}, 'flush')
    const text = databaseText()
    assert.ok(text.includes('branch'), 'the test reads the right files')
    assert.ok(!text.includes(SECRET), 'the application password is in the database in clear')
    assert.ok(!text.includes(AXL_SECRET), 'the AXL password is in the database in clear')
    assert.ok(!t.logs.join('\n').includes(SECRET) && !t.logs.join('\n').includes(AXL_SECRET), 'a password is in the log')
    const row = new Database(t.databasePath, { readonly: true }).prepare('SELECT app_password, axl_password FROM clusters WHERE id = ?').get('branch') as { app_password: string, axl_password: string }
    assert.match(row.app_password, /^v1\.[\w-]+\.[\w-]+\.[\w-]+$/)
    assert.notEqual(row.app_password, row.axl_password)
    const keyFile = join(t.dir, 'secret.key')
    assert.equal(statSync(keyFile).mode & 0o777, 0o600)
  })

  test('after a restart the stored cluster is used again; with another key it is shown unusable until its passwords are entered again', async () => {
    t = await t.restart()
    const [, restored] = await list()
    assert.equal(restored?.id, 'branch')
    assert.equal(restored?.health?.reachable, true, JSON.stringify(restored))
    assert.equal(t.runtime.clusters.require('branch').settings.appPassword, SECRET)

    t = await t.restart({ env: { SECRET_KEY: 'another-key-that-is-long-enough-0123456789' } })
    const [, locked] = await list()
    assert.match(locked?.problem ?? '', /cannot be decrypted/)
    assert.equal(locked?.health, null)
    assert.equal(locked?.appPasswordSet, true)
    assert.throws(() => t.runtime.clusters.require('branch'), (error: Error & { code?: string }) => error.code === 'CLUSTER_UNAVAILABLE')
    // The Overview's connection cards say so too: not two green cards while the third cannot log anyone out.
    const health = (await t.inject({ url: '/api/health' })).json() as Health
    const branch = health.clusters.find((c) => c.id === 'branch')
    assert.deepEqual([branch?.emapi.reachable, branch?.emapi.error?.code], [false, 'CLUSTER_UNAVAILABLE'])
    assert.match(branch?.emapi.error?.message ?? '', /cannot be decrypted/)
    // A name change alone keeps the old ciphertexts: still unusable, and still not lost.
    await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { name: 'Branch office' } })
    assert.match((await list())[1]?.problem ?? '', /cannot be decrypted/)
    const fixed = await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { appPassword: SECRET, axlPassword: AXL_SECRET } })
    assert.equal(fixed.statusCode, 200, fixed.body)
    assert.equal((fixed.json() as Cluster).problem, null)
    assert.equal((fixed.json() as Cluster).health?.reachable, true)
  })

  test('delete: gone from the list and the registry, its history stays; 404 after', async () => {
    const client = t.runtime.clusters.require('branch').client
    const res = await t.inject({ method: 'DELETE', url: '/api/clusters/branch' })
    assert.equal(res.statusCode, 204, res.body)
    assert.deepEqual((await list()).map((c) => c.id), ['default'])
    assert.equal(t.runtime.clusters.get('branch'), undefined)
    await assert.rejects(client.deviceUserQuery([SEED_OCCUPIED_DEVICE]))
    assert.equal((await t.inject({ method: 'DELETE', url: '/api/clusters/branch' })).statusCode, 404)
    assert.equal((await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { name: 'x' } })).statusCode, 404)
    const page = (await t.inject({ url: '/api/audit?cluster=branch&action=cluster-delete' })).json() as AuditPage
    assert.match(page.items[0]?.message ?? '', /Deleted cluster branch/)
  })
})
