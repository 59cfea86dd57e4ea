import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { AUDIT_ACTIONS, ERROR_CODES, RETRY_SCOPES, RUN_ITEM_OUTCOMES, type ErrorBody } from '@em-console/shared/schemas'
import { buildTestApp, type TestApp } from './helpers/app.ts'

let t: TestApp

before(async () => { t = await buildTestApp() })
after(async () => await t.close())

describe('long user IDs reach the API', () => {
  // Fastify's default maxParamLength (100) answered 414 before the schema could say anything.
  for (const [label, userId] of [
    ['128 ASCII characters', 'u'.repeat(128)],
    ['101 ASCII characters', 'v'.repeat(101)],
    ['128 three-byte characters (9 percent-encoded each)', '山'.repeat(128)],
    ['64 four-byte characters (12 percent-encoded each)', '😀'.repeat(64)]
  ] as const) {
    test(`a user ID of ${label} is looked up, not refused with 414`, async () => {
      const res = await t.inject({ url: `/api/users/${encodeURIComponent(userId)}/devices` })
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.json().userId, userId)
    })
  }

  test('a user ID of 129 characters is a 400 that names the field and the limit in words', async () => {
    const res = await t.inject({ url: `/api/users/${'w'.repeat(129)}/devices` })
    assert.equal(res.statusCode, 400, res.body)
    const { error } = res.json()
    assert.equal(error.field, 'userId')
    assert.match(error.message, /User ID/)
    assert.match(error.message, /up to 128 characters/)
    assert.match(error.message, /129 characters/)
  })

  test('a path parameter past the router\'s limit (4,096 characters) is the schema\'s 400 in words, signed out too, without echoing it', async () => {
    const cases: Array<[Parameters<TestApp['inject']>[0], string, string]> = [
      [`/api/users/${'A'.repeat(5000)}/devices`, 'userId', 'User ID (path parameter "userId"): up to 128 characters, without control characters. This one has 5000 characters, 4872 too many.'],
      [{ method: 'POST', url: `/api/devices/${'B'.repeat(5000)}/logout` }, 'name', 'Device name (path parameter "name"): letters, digits, dot, dash and underscore; up to 50 characters. This one has 5000 characters, 4950 too many.'],
      [`/api/audit/${'9'.repeat(5000)}`, 'id', 'The path parameter "id" must have at most 4096 characters (this one has 5000).']
    ]
    for (const [request, field, message] of cases) {
      const res = await t.inject(request, 'none')
      assert.equal(res.statusCode, 400, res.body.slice(0, 300))
      const { error } = res.json<ErrorBody>()
      assert.ok(ERROR_CODES.includes(error.code))
      assert.deepEqual(error, { code: 'VALIDATION', message, field })
    }
    // A route of that parameter, but none of the path: a 404, the long part left out.
    const none = await t.inject(`/api/devices/${'C'.repeat(5000)}/bogus`, 'none')
    assert.equal(none.statusCode, 404)
    assert.deepEqual(none.json(), { error: { code: 'NOT_FOUND', message: 'No route GET /api/devices/…/bogus' } })
    // No route at all for a long path: said in part, not echoed whole.
    const nowhere = await t.inject(`/api/nothing/${'C'.repeat(5000)}`, 'none')
    assert.equal(nowhere.statusCode, 404)
    assert.deepEqual(nowhere.json(), { error: { code: 'NOT_FOUND', message: `No route GET /api/nothing/${'C'.repeat(87)}…` } })
  })

  test('a device filter of the sessions, their history or the phones past 64 characters is refused in the words of that limit, not the audit filter\'s 100', async () => {
    for (const path of ['/api/sessions', '/api/sessions/history', '/api/phones']) {
      const res = await t.inject(`${path}?device=${'D'.repeat(65)}`)
      assert.equal(res.statusCode, 400, res.body)
      assert.deepEqual(res.json<ErrorBody>().error, { code: 'VALIDATION', field: 'device', message: 'Device (query parameter "device"): up to 64 characters. This one has 65 characters, 1 too many.' })
    }
  })

  test('a broken percent-encoding in the path is a 400 in words, not Fastify\'s own body echoing the URL', async () => {
    const res = await t.inject('/api/users/%E0x/devices', 'none')
    assert.equal(res.statusCode, 400)
    const { error } = res.json<ErrorBody>()
    assert.equal(error.code, 'BAD_REQUEST')
    assert.match(error.message, /^A path parameter of the URL is not valid percent-encoding .*encodeURIComponent\.$/)
  })
})

describe('validation errors say in plain words which field and what it may hold', () => {
  const RAW = /must match pattern|must not have|Invalid (params|body|querystring)|\^\[/

  async function refusal (request: Parameters<TestApp['inject']>[0]): Promise<{ field?: string, message: string }> {
    const res = await t.inject(request)
    assert.equal(res.statusCode, 400, res.body)
    const { error } = res.json()
    assert.equal(error.code, 'VALIDATION')
    assert.doesNotMatch(error.message, RAW, 'no validator text reaches people')
    return error
  }

  test('a device name with "<" in the path: the rule, the field and the character', async () => {
    const error = await refusal({ method: 'POST', url: '/api/devices/SEP%3C1%3E/logout' })
    assert.equal(error.field, 'name')
    assert.equal(error.message, 'Device name (path parameter "name"): letters, digits, dot, dash and underscore; up to 50 characters. "<" is not allowed.')
  })

  test('a device name that is too long says its length', async () => {
    const error = await refusal({ url: `/api/devices/${'A'.repeat(60)}` })
    assert.match(error.message, /^Device name \(path parameter "name"\): .*up to 50 characters\. This one has 60 characters, 10 too many\.$/)
  })

  test('a device in a body list names the item', async () => {
    const error = await refusal({ method: 'POST', url: '/api/devices/status', payload: { names: ['SEP1', 'SEP 2'] } })
    assert.equal(error.field, 'names.1')
    assert.match(error.message, /^Device name \(body field "names\.1"\): letters, digits, dot, dash and underscore; up to 50 characters\. " " is not allowed\.$/)
  })

  test('a schedule name with "é"', async () => {
    const error = await refusal({ method: 'POST', url: '/api/schedules', payload: { name: 'Nuit é', cron: '0 2 * * *' } })
    assert.equal(error.field, 'name')
    assert.equal(error.message, 'Name (body field "name"): letters, digits, space, dot, dash and underscore, starting with a letter or digit; up to 64 characters. "é" is not allowed.')
  })

  test('a cluster\'s name is refused with the cluster name\'s rule (any text without control characters), not a schedule name\'s', async () => {
    const cluster = { id: 'words', host: 'cucm.example.com', appUser: 'emapi', appPassword: 'secret' }
    const RULE = 'Name (body field "name"): up to 64 characters, without control characters.'
    const long = await refusal({ method: 'POST', url: '/api/clusters', payload: { ...cluster, name: 'x'.repeat(5000) } })
    assert.equal(long.field, 'name')
    assert.equal(long.message, `${RULE} This one has 5000 characters, 4936 too many.`)
    const control = await refusal({ method: 'PATCH', url: '/api/clusters/default', payload: { name: 'a\u0001b' } })
    assert.equal(control.message, `${RULE} A control character (such as a tab) is not allowed.`)
    const checked = await refusal({ method: 'POST', url: '/api/clusters/check', payload: { ...cluster, name: '' } })
    assert.equal(checked.message, `${RULE} It is empty.`)
    // What those words allow is taken.
    const saved = await t.inject({ method: 'POST', url: '/api/clusters', payload: { ...cluster, name: '<script>alert(1)</script> & "💥' } })
    assert.equal(saved.statusCode, 201, saved.body)
    assert.equal((await t.inject({ method: 'DELETE', url: '/api/clusters/words' })).statusCode, 204)
  })

  test('a cluster id starting with an emoji quotes the whole emoji, not half of it', async () => {
    const error = await refusal({ method: 'POST', url: '/api/clusters/check', payload: { id: '💥', host: 'cucm.example.com', appUser: 'emapi', appPassword: 'secret' } })
    assert.equal(error.field, 'id')
    assert.equal(error.message, 'Id (body field "id"): letters, digits and dash, starting with a letter or digit; up to 40 characters. It starts with "💥".')
  })

  test('a cluster\'s application password and AXL version say what they may hold, not "characters that are not allowed"', async () => {
    const cluster = { id: 'words', host: 'cucm.example.com', appUser: 'emapi', appPassword: 'secret' }
    const password = await refusal({ method: 'POST', url: '/api/clusters/check', payload: { ...cluster, appPassword: 'p\u0001' } })
    assert.equal(password.field, 'appPassword')
    assert.equal(password.message, 'Application password (body field "appPassword"): up to 256 characters, without control characters other than tab and line breaks. "U+0001" is not allowed (it cannot be sent to CUCM in XML).')
    const RULE = 'AXL version (body field "axlVersion"): a release such as 14.0 or 12.5 (one or two digits, a dot and one digit).'
    for (const [axlVersion, problem] of [['', 'It is empty.'], ['a b', '"a b" is not of that form.'], ['1'.repeat(300), 'This one has 300 characters, 296 too many.']]) {
      const error = await refusal({ method: 'POST', url: '/api/clusters', payload: { ...cluster, axlVersion } })
      assert.equal(error.field, 'axlVersion')
      assert.equal(error.message, `${RULE} ${problem}`)
    }
  })

  test('an account name with "é", and a missing password', async () => {
    const name = await refusal({ method: 'POST', url: '/api/accounts', payload: { username: 'andré', password: 'long enough password', role: 'viewer' } })
    assert.equal(name.message, 'User name (body field "username"): letters, digits, dot, dash, underscore and @; up to 64 characters. "é" is not allowed.')
    const missing = await refusal({ method: 'POST', url: '/api/accounts', payload: { username: 'andre', role: 'viewer' } })
    assert.equal(missing.field, 'password')
    assert.match(missing.message, /^Password \(body field "password"\): .*It is missing\.$/)
  })

  test('a choice names every allowed value, not the first', async () => {
    const error = await refusal({ url: '/api/audit?outcome=bogus' })
    assert.equal(error.field, 'outcome')
    assert.equal(error.message, 'The query parameter "outcome" must be one of "pending", "success", "already-logged-out", "failure", "error", "unknown", "interrupted".')
  })

  test('a choice of more than eight values names them all (TypeBox reports eight problems by default)', async () => {
    const quoted = (values: readonly string[]): string => values.map((value) => `"${value}"`).join(', ')
    const action = await refusal({ url: '/api/audit?action=bulk-runs' })
    assert.equal(action.field, 'action')
    assert.equal(action.message, `The query parameter "action" must be one of ${quoted(AUDIT_ACTIONS)}.`)
    assert.match(action.message, /"bulk-run", .*"cluster-delete"\.$/)
    const exported = await refusal({ url: '/api/audit/export.csv?action=bulk-runs' })
    assert.equal(exported.message, action.message)
    const run = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: ['SEP001122334455'] } })
    const outcome = await refusal({ url: `/api/runs/${run.json<{ id: string }>().id}/items?outcome=failures` })
    assert.equal(outcome.message, `The query parameter "outcome" must be one of ${quoted([...RUN_ITEM_OUTCOMES, ...RETRY_SCOPES])}.`)
  })

  test('logout-all\'s ?cluster= that is no cluster id is said so, not as "must be exactly all" (an id is allowed too)', async () => {
    const confirm = { confirm: 'LOG OUT ALL' }
    const empty = await refusal({ method: 'POST', url: '/api/logout-all?cluster=', payload: confirm })
    assert.deepEqual(empty, { code: 'VALIDATION', message: 'The query parameter "cluster" must not be empty.', field: 'cluster' })
    const spaced = await refusal({ method: 'POST', url: '/api/logout-all?cluster=head%20office', payload: confirm })
    assert.deepEqual(spaced, { code: 'VALIDATION', message: 'The query parameter "cluster" holds characters that are not allowed.', field: 'cluster' })
  })

  test('a choice of two values names both, not the first as the only one', async () => {
    const order = await refusal({ url: '/api/sessions?order=up' })
    assert.deepEqual(order, { code: 'VALIDATION', message: 'The query parameter "order" must be one of "asc", "desc".', field: 'order' })
    const run = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: ['SEP001122334455'] } })
    const scope = await refusal({ method: 'POST', url: `/api/runs/${run.json<{ id: string }>().id}/retry`, payload: { scope: 'all' } })
    assert.deepEqual(scope, { code: 'VALIDATION', message: `The body field "scope" must be one of ${RETRY_SCOPES.map((s) => `"${s}"`).join(', ')}.`, field: 'scope' })
  })

  test('a list longer than a field takes says how long it was', async () => {
    const names = Array.from({ length: 5001 }, (_, i) => `SEP${String(i).padStart(12, '0')}`)
    const error = await refusal({ method: 'POST', url: '/api/devices/status', payload: { names } })
    assert.deepEqual(error, { code: 'VALIDATION', message: 'The body field "names" must list at most 5000 items (this one has 5001).', field: 'names' })
  })

  test('a choice spread over the forms of a body names each allowed value once', async () => {
    const error = await refusal({ method: 'POST', url: '/api/runs', payload: { action: 'explode', devices: ['SEP001122334455'] } })
    assert.equal(error.field, 'action')
    assert.equal(error.message, 'The body field "action" must be one of "logout", "login".')
    const none = await refusal({ method: 'POST', url: '/api/runs/preview', payload: { action: 'logout' } })
    assert.equal(none.message, 'A logout run needs one of the body fields "devices", "list", "savedList", "users", "located" or "sessions".')
    const two = await refusal({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: ['SEP001122334455'], users: ['jdoe'] } })
    assert.equal(two.field, 'users')
    assert.match(two.message, /not several \(this one has "devices" and "users"\)\.$/)
  })

  test('a login run\'s body is judged as a login run: a mistake in its items is named, not "devices" of a logout', async () => {
    const item = { device: 'SEP001122334455', user: 'jdoe' }
    const duration = await refusal({ method: 'POST', url: '/api/runs', payload: { action: 'login', items: [{ ...item, durationMinutes: 'soon' }] } })
    assert.equal(duration.field, 'items.0.durationMinutes')
    assert.equal(duration.message, 'The body field "items.0.durationMinutes" must be a whole number.')
    const user = await refusal({ method: 'POST', url: '/api/runs/preview', payload: { action: 'login', items: [{ device: item.device }] } })
    assert.equal(user.field, 'items.0.user')
    assert.match(user.message, /\(body field "items\.0\.user"\).*It is missing\.$/)
    const extra = await refusal({ method: 'POST', url: '/api/runs/preview', payload: { action: 'login', items: [{ ...item, userId: 'jdoe' }] } })
    assert.equal(extra.field, 'items.0.userId')
    assert.equal((await refusal({ method: 'POST', url: '/api/runs/preview', payload: { action: 'login', items: [] } })).field, 'items')
    assert.equal((await refusal({ method: 'POST', url: '/api/runs/preview', payload: { action: 'login' } })).field, 'items')
  })

  test('numbers, dates and unknown fields', async () => {
    assert.equal((await refusal({ url: '/api/audit?limit=many' })).message, 'The query parameter "limit" must be a whole number.')
    assert.equal((await refusal({ url: '/api/audit?limit=501' })).message, 'The query parameter "limit" must be at most 500.')
    // Text that says no number, or not a whole one, was read as one: ?olderThanHours=true as 1 hour, ?limit=1.5 as 1, '' as 0.
    assert.equal((await refusal({ url: '/api/audit?limit=1.5' })).message, 'The query parameter "limit" must be a whole number.')
    assert.equal((await refusal({ url: '/api/sessions?olderThanHours=true' })).field, 'olderThanHours')
    assert.equal((await refusal({ url: '/api/audit/stats?days=' })).field, 'days')
    assert.equal((await refusal({ url: '/api/runs/x/items?after=' })).field, 'after')
    assert.equal((await refusal({ url: '/api/schedules/1.5' })).field, 'id')
    assert.match((await refusal({ url: '/api/audit?from=yesterday' })).message, /^The query parameter "from" must be a date and time in ISO 8601/)
    // A misspelt parameter on a read is refused as on a change: `?limt=5` answered 20 runs, `?Fresh=true` the cached probes.
    assert.equal((await refusal({ url: '/api/runs?limt=5' })).message, 'The query parameter "limt" is not a field this request takes.')
    assert.equal((await refusal({ url: '/api/health?Fresh=true' })).field, 'Fresh')
    assert.equal((await refusal({ url: '/api/schedules/preview?cron=0%202%20*%20*%20*&timeZone=UTC' })).field, 'timeZone')
    // A route that takes no query refuses one: `GET /api/schedules?cluster=branch` listed every cluster's schedules.
    assert.equal((await refusal({ url: '/api/schedules?cluster=branch' })).message, 'The query parameter "cluster" is not a field this request takes.')
    assert.equal((await refusal({ url: '/api/audit/1?format=csv' })).field, 'format')
    const extra = await refusal({ method: 'POST', url: '/api/logout-all', payload: { confirm: 'LOG OUT ALL', force: true } })
    assert.equal(extra.field, 'force')
    assert.equal(extra.message, 'The body field "force" is not a field this request takes.')
  })

  test('a user ID a little over the limit is a 400 in words even with four-byte characters', async () => {
    const error = await refusal({ url: `/api/users/${encodeURIComponent('😀'.repeat(129))}/devices` })
    assert.match(error.message, /^User ID \(path parameter "userId"\): up to 128 characters, without control characters\. This one has 129 characters, 1 too many\.$/)
  })
})

describe('a JSON body with a key refused as prototype poisoning', () => {
  const json = (payload: string): Parameters<TestApp['inject']>[0] => ({ method: 'POST', url: '/api/clusters/check', headers: { 'content-type': 'application/json' }, payload })

  test('"__proto__", or "constructor" holding "prototype", is said to be that key, not "not valid JSON"', async () => {
    const cases: Array<[string, string, string]> = [
      ['{"id":"emea","__proto__":{"isAdmin":true}}', '__proto__', 'the key "__proto__"'],
      ['{"id":"emea","name":{"constructor":{"prototype":{"isAdmin":true}}}}', 'constructor', 'a key "constructor" holding "prototype"']
    ]
    for (const [payload, field, what] of cases) {
      const res = await t.inject(json(payload))
      assert.equal(res.statusCode, 400, res.body)
      assert.deepEqual(res.json<ErrorBody>().error, {
        code: 'VALIDATION',
        field,
        message: `The body holds ${what}, which is not accepted: valid JSON, but such a key could change the server's own objects (prototype poisoning). Remove it.`
      })
    }
  })

  test('broken JSON is still said to be broken, and a "constructor" key without "prototype" is only an unknown field', async () => {
    const broken = await t.inject(json('{"id":'))
    assert.equal(broken.statusCode, 400)
    assert.match(broken.json<ErrorBody>().error.message, /not valid JSON/)
    const plain = await t.inject(json('{"id":"emea","host":"cucm.example.com","appUser":"emapi","appPassword":"secret","constructor":1}'))
    assert.equal(plain.statusCode, 400)
    assert.equal(plain.json<ErrorBody>().error.message, 'The body field "constructor" is not a field this request takes.')
  })
})

describe('a body the API cannot read', () => {
  test('a form body (curl -d without a content type) is a 415 that says to send JSON, and how', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/accounts', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'username=ops&role=viewer' })
    assert.equal(res.statusCode, 415)
    const { error } = res.json<ErrorBody>()
    assert.equal(error.code, 'UNSUPPORTED_MEDIA_TYPE')
    assert.match(error.message, /Content-Type: application\/json .*curl -d sends a form/)
  })

  test('a body over the limit is a 413 that says the limit, in the words of what was sent', async () => {
    const res = await t.inject({ method: 'PUT', url: '/api/settings', headers: { 'content-type': 'application/json' }, payload: `{"exemptions":{"devices":["${'a'.repeat(2 * 1024 * 1024)}"]}}` })
    assert.equal(res.statusCode, 413)
    const { error } = res.json<ErrorBody>()
    assert.equal(error.code, 'PAYLOAD_TOO_LARGE')
    assert.equal(error.message, 'The request body is larger than the API takes: 1 MiB.')
    // A run's: its CSV file's own limit, and how many devices a run takes.
    const run = (await t.inject({ method: 'POST', url: '/api/runs', headers: { 'content-type': 'application/json' }, payload: `{"action":"logout","devices":["${'a'.repeat(2 * 1024 * 1024)}"]}` })).json<ErrorBody>().error
    assert.match(run.message, /1 MiB .*5 MiB.*5,000 devices/)
    // A cluster's: its one large field, named; it read "A run takes up to 5,000 devices: split a longer list".
    const caPem = `-----BEGIN CERTIFICATE-----\n${'A'.repeat(2 * 1024 * 1024)}\n-----END CERTIFICATE-----`
    for (const [method, url] of [['POST', '/api/clusters'], ['PATCH', '/api/clusters/hq']] as const) {
      const cluster = await t.inject({ method, url, payload: { caPem } })
      assert.equal(cluster.statusCode, 413, cluster.body)
      const { error: refused } = cluster.json<ErrorBody>()
      assert.equal(refused.field, 'caPem')
      assert.equal(refused.message, 'The request body is larger than the API takes: 1 MiB. CA certificate: PEM text of up to 65,536 characters: the CA that signed CUCM\'s Tomcat certificate (about 2,000), or a few, not a whole store.')
    }
    // Under the body's limit, past the field's: the same words, with how many it had.
    const long = (await t.inject({ method: 'PATCH', url: '/api/clusters/hq', payload: { caPem: 'A'.repeat(70_000) } })).json<ErrorBody>().error
    assert.deepEqual([long.field, long.message], ['caPem', 'CA certificate (body field "caPem"): PEM text of up to 65,536 characters: the CA that signed CUCM\'s Tomcat certificate (about 2,000), or a few, not a whole store. This one has 70000 characters, 4464 too many.'])
  })
})
