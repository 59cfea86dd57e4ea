import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ERROR_CODES } from '@em-console/shared/schemas'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { Compile, type Validator } from 'typebox/compile'
import { BRANCH_OCCUPIED_DEVICE, BRANCH_USER } from '../src/simulator/branch-scenario.ts'
import { SEED_EMPTY_DEVICE, SEED_FREE_USER, SEED_FREE_USER_PROFILE, SEED_OCCUPIED_DEVICE, SEED_USER } from '../src/simulator/seed.ts'
import { buildTestApp, type TestApp } from './helpers/app.ts'
import { eventually } from './helpers/eventually.ts'

/**
 * The served OpenAPI document (/api/docs/json) is all an integrator codes against. Every answer
 * the API gives here, happy or refused, must be one the document names: its status, its content
 * type, and a body its schema accepts (every required field, each field's type and enum, the
 * ErrorBody code union). Each documented operation is called at least once.
 */

interface OpenApiOperation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>
  security?: Array<Record<string, string[]>>
  description?: string
  requestBody?: { required?: boolean, content: Record<string, unknown> }
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>
  components?: { schemas?: Record<string, unknown>, securitySchemes?: Record<string, { in?: string, name?: string }> }
}

const COMPONENT = '#/components/schemas/'

/**
 * A schema of the document as a plain JSON Schema validator reads it: OpenAPI 3.0's
 * `nullable: true` said as JSON Schema says it, and references to the document's shared schemas
 * replaced by what they name.
 */
function jsonSchemaOf (schema: unknown, document: OpenApiDocument): unknown {
  if (Array.isArray(schema)) return schema.map((item) => jsonSchemaOf(item, document))
  if (typeof schema !== 'object' || schema === null) return schema
  const { nullable, $ref, ...rest } = schema as Record<string, unknown>
  if (typeof $ref === 'string') {
    const shared = $ref.startsWith(COMPONENT) ? document.components?.schemas?.[$ref.slice(COMPONENT.length)] : undefined
    assert.ok(shared !== undefined, `the document has no schema ${$ref}`)
    return jsonSchemaOf(shared, document)
  }
  const converted = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, key === 'enum' || key === 'const' ? value : jsonSchemaOf(value, document)]))
  return nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted
}

/** The document's path template that a concrete path takes, a literal segment before a parameter. */
function templateOf (document: OpenApiDocument, method: string, path: string): string | undefined {
  const segments = path.split('/')
  const candidates = Object.keys(document.paths).filter((template) => {
    const parts = template.split('/')
    return document.paths[template]?.[method] !== undefined && parts.length === segments.length && parts.every((part, i) => part.startsWith('{') || part === segments[i])
  })
  const parameters = (template: string): number => template.split('/').filter((part) => part.startsWith('{')).length
  return candidates.sort((a, b) => parameters(a) - parameters(b))[0]
}

interface Call extends InjectOptions {
  url: string
  /** Who asks (admin unless said). */
  as?: 'viewer' | 'operator' | 'admin' | 'none'
  /** The status this call must get (what it tests); any documented one when absent. */
  expect?: number
  /** The error code it must carry. */
  code?: string
  /** Refused before its body is read (a session, a role, a CSRF token): sent without one. */
  refusal?: boolean
}

class Contract {
  readonly problems: string[] = []
  /** Operation (`GET /api/runs/{id}`) → the statuses seen. */
  readonly seen = new Map<string, Set<number>>()
  private readonly validators = new Map<unknown, Validator>()

  constructor (readonly document: OpenApiDocument, private readonly t: TestApp) {}

  async call (call: Call): Promise<LightMyRequestResponse> {
    const { as, expect, code, refusal = false, ...request } = call
    const res = await this.t.inject(request, as ?? 'admin')
    const method = (request.method ?? 'GET').toLowerCase()
    const path = request.url.split('?')[0] ?? ''
    const label = `${method.toUpperCase()} ${request.url}`
    if (!refusal) this.checkRequest(method, path, label, request)
    if (expect !== undefined && res.statusCode !== expect) this.problems.push(`${label}: expected ${expect}, got ${res.statusCode} ${res.body.slice(0, 300)}`)
    if (code !== undefined && (res.json() as { error?: { code?: string } }).error?.code !== code) this.problems.push(`${label}: expected code ${code}, got ${res.body.slice(0, 300)}`)
    this.check(method, path, label, res)
    // What a created or accepted resource's Location names, a GET answers (as the same role).
    const location = res.headers.location
    if (typeof location === 'string' && (await this.t.inject({ url: location }, as ?? 'admin')).statusCode !== 200) this.problems.push(`${label}: its Location ${location} does not answer 200`)
    return res
  }

  /** A request an integrator sends as the document says: a body only where it takes one, of a content type it names, and one where it needs it. */
  private checkRequest (method: string, path: string, label: string, request: InjectOptions): void {
    const template = templateOf(this.document, method, path)
    const requestBody = template === undefined ? undefined : this.document.paths[template]?.[method]?.requestBody
    const headers = (request.headers ?? {}) as Record<string, string | undefined>
    if (request.payload === undefined) {
      if (requestBody?.required === true) this.problems.push(`${label}: sent without a body, which the document says is required`)
      return
    }
    const contentType = headers['content-type'] ?? (typeof request.payload === 'object' ? 'application/json' : 'text/plain')
    const documented = Object.keys(requestBody?.content ?? {})
    if (!documented.includes(contentType)) this.problems.push(`${label}: sent a ${contentType} body, the document names ${documented.length === 0 ? 'no body' : documented.join(', ')}`)
  }

  private check (method: string, path: string, label: string, res: LightMyRequestResponse): void {
    const template = templateOf(this.document, method, path)
    if (template === undefined) {
      this.problems.push(`${label}: no operation of the document serves it (${res.statusCode})`)
      return
    }
    const operationName = `${method.toUpperCase()} ${template}`
    const statuses = this.seen.get(operationName) ?? new Set()
    statuses.add(res.statusCode)
    this.seen.set(operationName, statuses)
    const response = this.document.paths[template]?.[method]?.responses[String(res.statusCode)]
    if (response === undefined) {
      this.problems.push(`${operationName}: answered ${res.statusCode}, which the document does not name (${label}: ${res.body.slice(0, 200)})`)
      return
    }
    const contentType = String(res.headers['content-type'] ?? '').split(';')[0]?.trim() ?? ''
    if (res.statusCode === 204) {
      if (res.body !== '') this.problems.push(`${operationName} ${res.statusCode}: a body on 204`)
      return
    }
    const documented = Object.keys(response.content ?? {})
    if (!documented.includes(contentType)) {
      this.problems.push(`${operationName} ${res.statusCode}: content type "${contentType}", the document names ${documented.length === 0 ? 'none' : documented.join(', ')}`)
      return
    }
    if (contentType !== 'application/json') return
    const schema = response.content?.[contentType]?.schema
    if (schema === undefined) return
    let validator = this.validators.get(schema)
    if (validator === undefined) {
      validator = Compile(jsonSchemaOf(schema, this.document) as Parameters<typeof Compile>[0])
      this.validators.set(schema, validator)
    }
    const body: unknown = res.json()
    if (!validator.Check(body)) {
      const errors = [...validator.Errors(body)].slice(0, 3).map((e) => `${e.instancePath} ${e.message}`)
      this.problems.push(`${operationName} ${res.statusCode}: the body does not match the document's schema: ${errors.join('; ')} (${res.body.slice(0, 200)})`)
    }
  }
}

describe('the served OpenAPI document describes what the API answers', () => {
  let t: TestApp
  let contract: Contract

  before(async () => {
    t = await buildTestApp({ mode: 'simulator' })
    const docs = await t.inject('/api/docs/json', 'none')
    assert.equal(docs.statusCode, 200)
    contract = new Contract(docs.json() as OpenApiDocument, t)
  })
  after(async () => { await t.close() })

  test('sign-in, accounts, health and clusters', async () => {
    const c = contract
    await c.call({ url: '/api/session/info', as: 'none', expect: 200 })
    await c.call({ method: 'POST', url: '/api/session', as: 'none', payload: { username: 'test-viewer', password: 'correct-horse-battery' }, expect: 200 })
    await c.call({ method: 'POST', url: '/api/session', as: 'none', payload: { username: 'test-viewer', password: 'not the password' }, expect: 401, code: 'BAD_CREDENTIALS' })
    await c.call({ method: 'POST', url: '/api/session', as: 'none', payload: { username: 'test-viewer' }, expect: 400, code: 'VALIDATION' })
    await c.call({ url: '/api/session', expect: 200 })
    await c.call({ url: '/api/session', as: 'none', expect: 401 })
    await c.call({ method: 'DELETE', url: '/api/session', as: 'none', expect: 204 })
    await c.call({ method: 'PUT', url: '/api/session/password', payload: { currentPassword: 'not the password', newPassword: 'another-long-password' }, expect: 400, code: 'WRONG_PASSWORD' })
    await c.call({ method: 'PUT', url: '/api/session/password', payload: { currentPassword: 'x' }, expect: 400 })
    await c.call({ method: 'POST', url: '/api/setup', as: 'none', payload: { token: 'nope', username: 'first', password: 'a-long-enough-password' }, expect: 403, code: 'SETUP_CLOSED' })

    await c.call({ url: '/api/accounts', expect: 200 })
    await c.call({ url: '/api/accounts', as: 'operator', expect: 403, code: 'FORBIDDEN' })
    const created = await c.call({ method: 'POST', url: '/api/accounts', payload: { username: 'contract-user', password: 'a-long-enough-password', role: 'viewer' }, expect: 201 })
    await c.call({ method: 'POST', url: '/api/accounts', payload: { username: 'contract-user', password: 'a-long-enough-password', role: 'viewer' }, expect: 409, code: 'ACCOUNT_EXISTS' })
    await c.call({ method: 'POST', url: '/api/accounts', payload: { username: 'x', password: 'short', role: 'viewer' }, expect: 400 })
    const accountId = (created.json() as { id: number }).id
    await c.call({ method: 'PATCH', url: `/api/accounts/${accountId}`, payload: { role: 'operator' }, expect: 200 })
    await c.call({ method: 'PATCH', url: '/api/accounts/999999', payload: { role: 'operator' }, expect: 404 })
    await c.call({ method: 'PATCH', url: '/api/accounts/abc', payload: { role: 'operator' }, expect: 400 })

    await c.call({ url: '/api/health/live', as: 'none', expect: 200 })
    await c.call({ url: '/api/health/check', as: 'none', expect: 200 })
    await c.call({ url: '/api/health', as: 'viewer', expect: 200 })
    await c.call({ url: '/api/health', as: 'none', expect: 401, code: 'UNAUTHENTICATED' })

    await c.call({ url: '/api/clusters', as: 'viewer', expect: 200 })
    await c.call({ url: '/api/clusters/hq', as: 'viewer', expect: 200 })
    await c.call({ url: '/api/clusters/nope', as: 'viewer', expect: 404 })
    const cluster = { id: 'contract', host: '127.0.0.1', port: t.sim.port, appUser: t.sim.credentials.appUser, appPassword: t.sim.credentials.appPassword, caPem: t.sim.caPem }
    await c.call({ method: 'POST', url: '/api/clusters/check', payload: cluster, expect: 200 })
    const added = await c.call({ method: 'POST', url: '/api/clusters', payload: { ...cluster, enabled: false }, expect: 201 })
    assert.equal(added.headers.location, '/api/clusters/contract')
    await c.call({ method: 'POST', url: '/api/clusters', payload: { ...cluster, enabled: false }, expect: 409, code: 'CLUSTER_EXISTS' })
    await c.call({ method: 'POST', url: '/api/clusters', payload: { id: 'bad id!' }, expect: 400 })
    await c.call({ method: 'PATCH', url: '/api/clusters/contract', payload: { name: 'Contract' }, expect: 200 })
    await c.call({ method: 'PATCH', url: '/api/clusters/hq', payload: { name: 'HQ' }, expect: 409, code: 'CLUSTER_READ_ONLY' })
    await c.call({ method: 'POST', url: '/api/clusters/contract/check', expect: 200 })
    await c.call({ method: 'POST', url: '/api/clusters/nope/check', expect: 404 })
    await c.call({ method: 'DELETE', url: '/api/clusters/contract', expect: 204 })
    await c.call({ method: 'DELETE', url: '/api/clusters/hq', expect: 409 })
    await c.call({ method: 'DELETE', url: '/api/clusters/contract', as: 'operator', expect: 403 })
  })

  test('look-ups, logins and logouts', async () => {
    const c = contract
    await c.call({ url: `/api/devices/status?names=${SEED_OCCUPIED_DEVICE},${BRANCH_OCCUPIED_DEVICE}`, as: 'viewer', expect: 200 })
    await c.call({ url: '/api/devices/status', as: 'viewer', expect: 400 })
    await c.call({ method: 'POST', url: '/api/devices/status', as: 'viewer', payload: { names: [SEED_EMPTY_DEVICE] }, expect: 200 })
    await c.call({ method: 'POST', url: '/api/devices/status', as: 'viewer', payload: { names: [] }, expect: 400 })
    await c.call({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}`, as: 'viewer', expect: 200 })
    await c.call({ url: '/api/devices/SEPNOSUCHDEVICE', as: 'viewer' })
    await c.call({ url: '/api/devices/bad%20name', as: 'viewer', expect: 400 })
    await c.call({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}?cluster=nope`, as: 'viewer' })
    await c.call({ url: `/api/users/${SEED_USER}/devices`, as: 'viewer', expect: 200 })
    await c.call({ url: '/api/users/nobody-here/devices', as: 'viewer', expect: 200 })
    await c.call({ url: `/api/users/${SEED_USER}/device-profiles`, as: 'viewer', expect: 200 })
    await c.call({ url: '/api/users/nobody-here/device-profiles', as: 'viewer', expect: 200 })

    await c.call({ method: 'POST', url: `/api/devices/${SEED_EMPTY_DEVICE}/login`, as: 'operator', payload: { userId: SEED_FREE_USER, deviceProfile: SEED_FREE_USER_PROFILE }, expect: 200 })
    await c.call({ method: 'POST', url: `/api/devices/${SEED_EMPTY_DEVICE}/login`, as: 'operator', payload: { userId: SEED_USER }, expect: 409 })
    await c.call({ method: 'POST', url: `/api/devices/${SEED_EMPTY_DEVICE}/login`, as: 'operator', payload: {}, expect: 400 })
    await c.call({ method: 'POST', url: `/api/devices/${SEED_EMPTY_DEVICE}/login`, as: 'viewer', payload: { userId: SEED_USER }, expect: 403 })
    await c.call({ method: 'POST', url: `/api/devices/${SEED_EMPTY_DEVICE}/logout`, as: 'operator', expect: 200 })
    await c.call({ method: 'POST', url: `/api/devices/${SEED_EMPTY_DEVICE}/logout`, as: 'operator', expect: 200 })
    await c.call({ method: 'POST', url: '/api/devices/SEPNOSUCHDEVICE/logout', as: 'operator', expect: 404 })
    await c.call({ method: 'POST', url: `/api/devices/${SEED_EMPTY_DEVICE}/logout`, as: 'operator', headers: { 'x-csrf-token': 'wrong' }, expect: 403, code: 'CSRF' })
    await c.call({ method: 'POST', url: `/api/users/${BRANCH_USER}/logout`, as: 'operator', expect: 200 })
    await c.call({ method: 'POST', url: '/api/users/nobody-here/logout', as: 'operator' })

    await c.call({ method: 'POST', url: '/api/logout-all?cluster=branch', as: 'operator', payload: { confirm: 'LOG OUT ALL' }, expect: 200 })
    await c.call({ method: 'POST', url: '/api/logout-all', as: 'operator', payload: { confirm: 'LOG OUT ALL' }, expect: 400 })
    await c.call({ method: 'POST', url: '/api/logout-all?cluster=branch', as: 'operator', payload: { confirm: 'yes' }, expect: 400 })
    await c.call({ method: 'POST', url: '/api/logout-all?cluster=nope', as: 'operator', payload: { confirm: 'LOG OUT ALL' } })
  })

  test('audit trail', async () => {
    const c = contract
    const page = await c.call({ url: '/api/audit?limit=2', as: 'viewer', expect: 200 })
    const { items, nextCursor } = page.json() as { items: Array<{ id: number }>, nextCursor: string | null }
    await c.call({ url: `/api/audit?limit=2&cursor=${encodeURIComponent(nextCursor ?? '')}`, as: 'viewer', expect: 200 })
    await c.call({ url: '/api/audit?limit=0', as: 'viewer', expect: 400 })
    await c.call({ url: '/api/audit?cursor=garbage', as: 'viewer', expect: 400 })
    await c.call({ url: '/api/audit?action=nope', as: 'viewer', expect: 400 })
    await c.call({ url: `/api/audit/${items[0]?.id ?? 1}`, as: 'viewer', expect: 200 })
    await c.call({ url: '/api/audit/99999999', as: 'viewer', expect: 404 })
    await c.call({ url: '/api/audit/abc', as: 'viewer', expect: 400 })
    await c.call({ url: '/api/audit/stats?days=7', as: 'viewer', expect: 200 })
    await c.call({ url: '/api/audit/stats?days=0', as: 'viewer', expect: 400 })
    await c.call({ url: '/api/audit/export.csv?action=logout', as: 'viewer', expect: 200 })
    await c.call({ url: '/api/audit/export.csv?action=nope', as: 'viewer', expect: 400 })
    await c.call({ url: '/api/audit/export.csv', as: 'none', expect: 401 })
  })

  test('bulk runs', async () => {
    const c = contract
    const devices = { action: 'logout', devices: [SEED_OCCUPIED_DEVICE, 'SEPNOSUCHDEVICE'] }
    await c.call({ method: 'POST', url: '/api/runs/preview', as: 'operator', payload: devices, expect: 200 })
    await c.call({ method: 'POST', url: '/api/runs/preview?action=logout', as: 'operator', headers: { 'content-type': 'text/csv' }, payload: `device\n${SEED_EMPTY_DEVICE}\n`, expect: 200 })
    await c.call({ method: 'POST', url: '/api/runs/preview', as: 'operator', payload: { action: 'logout' }, expect: 400 })
    // JSON is a run's object; a CSV file comes as text/csv, not as a JSON string.
    await c.call({ method: 'POST', url: '/api/runs/preview?action=logout', as: 'operator', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(`device\n${SEED_EMPTY_DEVICE}\n`), expect: 400, code: 'VALIDATION' })
    const none = await c.call({ method: 'POST', url: '/api/runs', as: 'operator', expect: 400, code: 'VALIDATION', refusal: true })
    assert.match((none.json() as { error: { message: string } }).error.message, /needs a body: JSON .* or a CSV file/)
    const started = await c.call({ method: 'POST', url: '/api/runs', as: 'operator', payload: devices, expect: 202 })
    const id = (started.json() as { id: string }).id
    assert.equal(started.headers.location, `/api/runs/${id}`)
    await eventually(() => t.runs.get(id)?.state === 'done' ? true : undefined)
    await c.call({ method: 'POST', url: '/api/runs?action=logout', as: 'operator', headers: { 'content-type': 'text/csv' }, payload: `device\n${SEED_EMPTY_DEVICE}\n`, expect: 202 })
    await c.call({ method: 'POST', url: '/api/runs', as: 'viewer', payload: devices, expect: 403 })
    await c.call({ url: '/api/runs', as: 'viewer', expect: 200 })
    await c.call({ url: '/api/runs?limit=0', as: 'viewer', expect: 400 })
    await c.call({ url: `/api/runs/${id}`, as: 'viewer', expect: 200 })
    await c.call({ url: '/api/runs/nope', as: 'viewer', expect: 404 })
    await c.call({ url: `/api/runs/${id}/items?outcome=failed`, as: 'viewer', expect: 200 })
    await c.call({ url: `/api/runs/${id}/items?limit=0`, as: 'viewer', expect: 400 })
    await c.call({ url: '/api/runs/nope/items', as: 'viewer', expect: 404 })
    await c.call({ method: 'POST', url: `/api/runs/${id}/cancel`, as: 'operator', expect: 409, code: 'RUN_FINISHED' })
    await c.call({ method: 'POST', url: '/api/runs/nope/cancel', as: 'operator', expect: 404 })
    await c.call({ method: 'POST', url: `/api/runs/${id}/retry`, as: 'operator', payload: { scope: 'failed' } })
    await c.call({ method: 'POST', url: `/api/runs/${id}/retry`, as: 'operator', payload: { scope: 'never' }, expect: 400 })
    await c.call({ method: 'POST', url: '/api/runs/nope/retry', as: 'operator', expect: 404 })
    await c.call({ url: `/api/runs/${id}/results.csv`, as: 'viewer', expect: 200 })
    await c.call({ url: '/api/runs/nope/results.csv', as: 'viewer', expect: 404 })
    await c.call({ url: `/api/runs/${id}/events`, as: 'viewer', expect: 200 })
    await c.call({ url: '/api/runs/nope/events', as: 'viewer', expect: 404 })
  })

  test('settings, schedules, inventory and sessions', async () => {
    const c = contract
    await c.call({ url: '/api/settings', as: 'viewer', expect: 200 })
    const read = await c.call({ method: 'PUT', url: '/api/settings', payload: { exemptions: { devices: [], users: [] }, deviceLists: [{ name: 'Ward B', devices: [SEED_EMPTY_DEVICE] }] }, expect: 200 })
    const { revision } = read.json() as { revision: number }
    await c.call({ method: 'PUT', url: '/api/settings', payload: { exemptions: { devices: [], users: [] }, revision }, expect: 200 })
    await c.call({ method: 'PUT', url: '/api/settings', payload: { exemptions: { devices: [], users: [] }, revision }, expect: 409, code: 'CHANGED_SINCE_READ' })
    await c.call({ method: 'PUT', url: '/api/settings', payload: { exemptions: {} }, expect: 400 })
    await c.call({ method: 'PUT', url: '/api/settings', as: 'operator', payload: { exemptions: { devices: [], users: [] } }, expect: 403 })

    await c.call({ url: '/api/schedules', as: 'viewer', expect: 200 })
    await c.call({ url: '/api/schedules/preview?cron=0%202%20*%20*%20*&timezone=UTC', as: 'viewer', expect: 200 })
    await c.call({ url: '/api/schedules/preview?cron=nonsense', as: 'viewer', expect: 400 })
    const created = await c.call({ method: 'POST', url: '/api/schedules', payload: { name: 'contract list', cron: '0 2 * * *', timezone: 'UTC', action: 'logout-saved-list', list: 'Ward B', enabled: false }, expect: 201 })
    const id = (created.json() as { id: number }).id
    assert.equal(created.headers.location, `/api/schedules/${id}`)
    await c.call({ method: 'POST', url: '/api/schedules', payload: { name: 'contract list', cron: '0 2 * * *', timezone: 'UTC', action: 'logout-saved-list', list: 'Ward B', enabled: false }, expect: 409, code: 'SCHEDULE_EXISTS' })
    await c.call({ method: 'POST', url: '/api/schedules', payload: { name: 'bad cron', cron: 'nonsense' }, expect: 400 })
    await c.call({ url: `/api/schedules/${id}`, as: 'viewer', expect: 200 })
    await c.call({ url: '/api/schedules/999999', as: 'viewer', expect: 404 })
    await c.call({ method: 'PATCH', url: `/api/schedules/${id}`, payload: { cron: '0 3 * * *' }, expect: 200 })
    await c.call({ method: 'PATCH', url: `/api/schedules/${id}`, payload: {}, expect: 400 })
    await c.call({ method: 'PATCH', url: '/api/schedules/999999', payload: { cron: '0 3 * * *' }, expect: 404 })
    await c.call({ method: 'POST', url: `/api/schedules/${id}/run-now`, as: 'operator', payload: {}, expect: 200 })
    await c.call({ method: 'POST', url: '/api/schedules/999999/run-now', as: 'operator', payload: {}, expect: 404 })
    await c.call({ method: 'DELETE', url: `/api/schedules/${id}`, expect: 204 })
    await c.call({ method: 'DELETE', url: `/api/schedules/${id}`, expect: 404 })

    await c.call({ method: 'POST', url: '/api/inventory/refresh?wait=true', as: 'operator', expect: 200 })
    await c.call({ method: 'POST', url: '/api/inventory/refresh', as: 'operator', expect: 202 })
    await c.call({ method: 'POST', url: '/api/inventory/refresh?cluster=nope', as: 'operator' })
    await c.call({ url: '/api/inventory', as: 'viewer', expect: 200 })
    await c.call({ url: '/api/sessions?limit=2&sort=device', as: 'viewer', expect: 200 })
    await c.call({ url: '/api/sessions?limit=0', as: 'viewer', expect: 400 })
    await c.call({ url: '/api/sessions/summary', as: 'viewer', expect: 200 })
    await c.call({ url: '/api/sessions/export.csv?devicePool=DP_OSLO', as: 'viewer', expect: 200 })
    await c.call({ url: '/api/sessions/export.csv?olderThanHours=-1', as: 'viewer', expect: 400 })
    await c.call({ url: '/api/sessions/history', as: 'viewer', expect: 200 })
    await c.call({ url: '/api/sessions/history.csv', as: 'viewer', expect: 200 })
    await c.call({ url: '/api/sessions/history.csv?from=yesterday', as: 'viewer', expect: 400 })
    await c.call({ url: '/api/phones?limit=2&loggedIn=true', as: 'viewer', expect: 200 })
    await c.call({ url: '/api/phones?limit=0', as: 'viewer', expect: 400 })
  })

  test('what CUCM refuses or does not answer, as the document says', async () => {
    const c = contract
    const hq = t.sim
    try {
      hq.setFaults({ mode: 'http-503' })
      await c.call({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}?cluster=hq`, as: 'viewer', expect: 502, code: 'EMAPI_HTTP_STATUS' })
      await c.call({ url: `/api/devices/status?names=${SEED_OCCUPIED_DEVICE},${BRANCH_OCCUPIED_DEVICE}`, as: 'viewer', expect: 200 })
      // Known to hq alone: the failure of the only cluster that could know is the answer.
      await c.call({ url: `/api/users/${SEED_USER}/devices`, as: 'viewer', expect: 502 })
      await c.call({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/logout?cluster=hq`, as: 'operator', expect: 502 })
      await c.call({ method: 'POST', url: `/api/users/${SEED_USER}/logout?cluster=hq`, as: 'operator' })
      await c.call({ method: 'POST', url: '/api/logout-all?cluster=hq', as: 'operator', payload: { confirm: 'LOG OUT ALL' }, expect: 502 })
      await c.call({ method: 'POST', url: '/api/logout-all?cluster=all', as: 'operator', payload: { confirm: 'LOG OUT ALL' } })
      await c.call({ url: '/api/health', as: 'viewer', expect: 200 })
      await c.call({ url: '/api/health/check', as: 'none', expect: 503 })
      await c.call({ url: '/api/clusters/hq', as: 'viewer', expect: 200 })
      await c.call({ method: 'POST', url: '/api/clusters/hq/check', expect: 200 })
      hq.setFaults({ mode: 'none', busyBurst: 10 })
      const busy = await c.call({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/logout?cluster=hq`, as: 'operator', expect: 503 })
      assert.match(String(busy.headers['retry-after']), /^\d+$/)
      hq.setFaults({ busyBurst: 0 })
      hq.axl.setFaults({ mode: 'forbidden' })
      await c.call({ method: 'POST', url: '/api/inventory/refresh?cluster=hq&wait=true', as: 'operator' })
      await c.call({ url: '/api/inventory', as: 'viewer', expect: 200 })
      await c.call({ url: '/api/sessions?cluster=hq', as: 'viewer', expect: 200 })
      await c.call({ method: 'POST', url: '/api/runs/preview', as: 'operator', payload: { action: 'logout', sessions: { cluster: 'hq' } } })
    } finally {
      hq.setFaults({ mode: 'none', busyBurst: 0 })
      hq.axl.setFaults({ mode: 'none' })
    }
  })

  test('every documented refusal of a session or role is the one the document names', async () => {
    // Without a session, a route that needs one answers 401; a viewer on an operator's or an
    // admin's route 403; a change without its CSRF token 403. Path parameters get stand-ins.
    const schemes = contract.document.components?.securitySchemes
    assert.deepEqual([schemes?.session?.in, schemes?.session?.name, schemes?.csrf?.in, schemes?.csrf?.name], ['cookie', 'em_session', 'header', 'x-csrf-token'])
    for (const { method, url, role } of t.app.routeTable) {
      // What the document says it takes, checked below against what it refuses.
      const operation = contract.document.paths[url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[method.toLowerCase()]
      const security = operation?.security
      const changes = !['GET', 'HEAD'].includes(method)
      if (role === 'public') {
        assert.ok(security !== undefined && (security.length === 0 || security.some((scheme) => Object.keys(scheme).length === 0)), `${method} ${url} is documented as needing no session`)
        continue
      }
      assert.deepEqual(security, [changes ? { session: [], csrf: [] } : { session: [] }], `${method} ${url}: the session${changes ? ' and its CSRF token' : ''}, as documented`)
      // The role it needs, which the session alone does not say (the document named none).
      assert.match(operation?.description ?? '', new RegExp(`(^|\\. )Role needed: ${role}\\b[^]*$`), `${method} ${url}: its role, ${role}, in its description`)
      const path = url.replace(/:[A-Za-z]+/g, '1')
      await contract.call({ method: method as 'GET', url: path, as: 'none', expect: 401, code: 'UNAUTHENTICATED', refusal: true })
      if (role !== 'viewer') await contract.call({ method: method as 'GET', url: path, as: 'viewer', expect: 403, code: 'FORBIDDEN', refusal: true })
      if (changes) await contract.call({ method: method as 'GET', url: path, as: role, headers: { 'x-csrf-token': 'wrong' }, expect: 403, code: 'CSRF', refusal: true })
    }
    await contract.call({ method: 'DELETE', url: '/api/session', as: 'viewer', headers: { 'x-csrf-token': 'wrong' }, expect: 403, code: 'CSRF' })
  })

  test('a body sent to a route that takes none is refused as the document says: JSON that does not parse, too large, a content type the API does not read', async () => {
    // Fastify reads the body of every method but GET and HEAD: a cancel or a sign-out sent one
    // answered 400, 413 or 415, which their operations did not name.
    for (const { method, url, role } of t.app.routeTable) {
      if (method === 'GET') continue
      const path = url.replace(/:[A-Za-z]+/g, '1')
      const as = role === 'public' ? 'viewer' : role
      await contract.call({ method: method as 'POST', url: path, as, headers: { 'content-type': 'application/json' }, payload: '{', expect: 400, code: 'BAD_REQUEST', refusal: true })
      await contract.call({ method: method as 'POST', url: path, as, headers: { 'content-type': 'text/plain' }, payload: 'x'.repeat(1_100_000), expect: 413, code: 'PAYLOAD_TOO_LARGE', refusal: true })
      await contract.call({ method: method as 'POST', url: path, as, headers: { 'content-type': 'application/xml' }, payload: '<a/>', expect: 415, code: 'UNSUPPORTED_MEDIA_TYPE', refusal: true })
    }
  })

  test('every error answer is one ErrorBody, shared, whose code is the closed list of ERROR_CODES', () => {
    const { document } = contract
    const errorBody = document.components?.schemas?.ErrorBody as { properties: { error: { properties: { code: { anyOf: Array<{ enum: string[] }> } } } } } | undefined
    assert.deepEqual(errorBody?.properties.error.properties.code.anyOf.flatMap((choice) => choice.enum), [...ERROR_CODES])
    // The monitoring check's 503 is its own answer (which part fails), for a monitor to read, not a refusal.
    const errors = Object.entries(document.paths).filter(([path]) => path !== '/api/health/check').flatMap(([, methods]) => Object.values(methods)).flatMap((operation) => Object.entries(operation.responses).filter(([status]) => Number(status) >= 400).map(([, response]) => response.content?.['application/json']?.schema))
    assert.ok(errors.length > 200)
    assert.deepEqual(errors.filter((schema) => (schema as { $ref?: string } | undefined)?.$ref !== `${COMPONENT}ErrorBody`), [], 'every error response refers to the one ErrorBody')
  })

  test('every answer above is one the document names, and every operation was called', () => {
    if (process.env.CONTRACT_SEEN) console.log([...contract.seen].map(([k, v]) => `${k} ${[...v].join(',')}`).join('\n'))
    assert.deepEqual(contract.problems, [])
    const operations = Object.entries(contract.document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
    assert.deepEqual(operations.filter((operation) => !contract.seen.has(operation)), [], 'operations never called here')
  })
})

describe('the rate limit, as the document says', () => {
  test('a limited route answers 429 with Retry-After, as documented; the liveness check is never limited and says so', async () => {
    const t = await buildTestApp({ rateLimitPerMinute: 2 })
    try {
      const contract = new Contract((await t.inject('/api/docs/json', 'none')).json() as OpenApiDocument, t)
      const statuses: number[] = []
      for (let i = 0; i < 4; i++) statuses.push((await contract.call({ url: '/api/health', as: 'viewer' })).statusCode)
      assert.deepEqual(statuses.slice(-1), [429])
      const limited = await contract.call({ url: '/api/health', as: 'viewer', expect: 429, code: 'RATE_LIMITED' })
      assert.match(String(limited.headers['retry-after']), /^\d+$/)
      for (let i = 0; i < 4; i++) await contract.call({ url: '/api/health/live', as: 'none', expect: 200 })
      assert.equal(contract.document.paths['/api/health/live']?.get?.responses['429'], undefined, 'no 429 documented where none is answered')
      assert.deepEqual(contract.problems, [])
    } finally {
      await t.close()
    }
  })
})
