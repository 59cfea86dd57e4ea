import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AxlError } from '@em-console/shared/axl'
import { EmapiError, EmapiFailureError } from '@em-console/shared/emapi'
import { runChecks, type CheckTarget } from '../src/clusters/connection-check.ts'
import type { ClusterSettings } from '../src/clusters/definitions.ts'

const SETTINGS = { host: 'cucm-sub.example.com', port: 8443, appUser: 'emapi-app', tlsInsecure: false } as ClusterSettings

/** A stand-in for the cluster's EMAPI client: each call answers, or throws what it is given. */
function client (answers: { query?: Error, logout?: Error }): CheckTarget['client'] {
  return {
    origin: 'https://cucm-sub.example.com:8443',
    deviceUserQuery: async () => { if (answers.query !== undefined) throw answers.query; return [] },
    logout: async () => { if (answers.logout !== undefined) throw answers.logout; return { httpStatus: 200 } }
  } as unknown as CheckTarget['client']
}

async function check (answers: { query?: Error, logout?: Error }, countPhones?: CheckTarget['countPhones'], settings = SETTINGS): ReturnType<typeof runChecks> {
  return await runChecks({ source: 'environment', settings, client: client(answers), countPhones, description: 'the stand-in' })
}

const stepOf = (result: Awaited<ReturnType<typeof runChecks>>, name: string): { ok: boolean | null, message: string } | undefined => result.steps.find((s) => s.name === name)

test('EMAPI whole and AXL refused fails the check (exit 1), AXL not answering is a transport failure (exit 2): never "every check passed"', async () => {
  const refused = await check({ logout: new EmapiFailureError(11, 'no such device') }, async () => { throw new AxlError('AXL_AUTH', 'AXL refused the user') })
  assert.deepEqual([refused.outcome, stepOf(refused, 'proxy-rights')?.ok, stepOf(refused, 'axl')?.ok], ['failed', true, false])
  const silent = await check({}, async () => { throw new AxlError('AXL_UNREACHABLE', 'connect ECONNREFUSED') })
  assert.deepEqual([silent.outcome, stepOf(silent, 'axl')?.ok], ['transport', false])
})

test('the application user refused from an untrusted address (28) is a credentials step with its own words, not "unexpected answer"', async () => {
  const result = await check({ query: new EmapiFailureError(28, 'untrusted') })
  assert.equal(result.outcome, 'failed')
  assert.equal(stepOf(result, 'credentials')?.ok, false)
  assert.doesNotMatch(stepOf(result, 'credentials')?.message ?? '', /^unexpected answer/)
})

test('the probe logout answered "nobody logged in" (19) confirms the proxy rights, as "no such device" (11) does', async () => {
  const result = await check({ logout: new EmapiFailureError(19, 'no user') })
  assert.deepEqual([result.outcome, stepOf(result, 'proxy-rights')?.ok], ['ok', true])
})

test('the EM node unreachable: AXL on the same host but another port is still checked', async () => {
  let counted = 0
  const unreachable = Object.assign(new EmapiError('EMAPI_UNREACHABLE', 'connect ECONNREFUSED'), { requestSent: false })
  const settings = { ...SETTINGS, axl: { user: 'axl-reader', password: 'x', version: undefined, host: undefined, port: 9443 } } as ClusterSettings
  const result = await check({ query: unreachable }, async () => { counted++; return { phones: 3, asked: '14.0', answered: '14.0' } }, settings)
  assert.deepEqual([result.outcome, stepOf(result, 'reachable')?.ok, stepOf(result, 'axl')?.ok, counted], ['transport', false, true, 1])
})
