import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { EmapiError } from '@em-console/shared/emapi'
import { ConfigError, loadConfig } from '../src/config.ts'
import { createEmapiClient, type EmapiClient } from '../src/emapi/client.ts'
import { SEED_EMPTY_DEVICE } from '../src/simulator/seed.ts'
import { startSimulator, type Simulator } from '../src/simulator/server.ts'

// Issue #15.3: the EMAPI client reads at most maxResponseBytes of an answer.
describe('the EMAPI client caps the answer it reads', () => {
  let sim: Simulator
  const clients: EmapiClient[] = []
  const client = (maxResponseBytes?: number): EmapiClient => {
    const made = createEmapiClient({ host: sim.host, port: sim.port, ...sim.credentials, ca: sim.caPem, timeoutMs: 30_000, maxResponseBytes })
    clients.push(made)
    return made
  }
  before(async () => { sim = await startSimulator() })
  after(async () => {
    for (const c of clients) await c.close()
    await sim.close()
  })

  test('an answer of exactly the cap is read; one byte more is EMAPI_TOO_LARGE with what was read', async () => {
    const { responseBody } = await client().deviceUserQuery([SEED_EMPTY_DEVICE])
    const size = Buffer.byteLength(responseBody)
    const exact = await client(size).deviceUserQuery([SEED_EMPTY_DEVICE])
    assert.equal(exact.responseBody, responseBody)
    const error = await client(size - 1).deviceUserQuery([SEED_EMPTY_DEVICE]).then(() => undefined, (e: unknown) => e)
    assert.ok(error instanceof EmapiError)
    assert.equal(error.code, 'EMAPI_TOO_LARGE')
    assert.equal(error.responseBody, responseBody.slice(0, size - 1))
    assert.equal(error.httpStatus, 200)
    assert.match(error.requestXml ?? '', /<appCertificate>\*+<\/appCertificate>/)
  })

  test('without the option the cap is 4 MiB, and the client works on after stopping a transfer', async () => {
    const capped = client()
    sim.setFaults({ mode: 'endless' })
    try {
      const started = performance.now()
      const error = await capped.deviceUserQuery([SEED_EMPTY_DEVICE]).then(() => undefined, (e: unknown) => e)
      assert.ok(error instanceof EmapiError && error.code === 'EMAPI_TOO_LARGE', String(error))
      assert.match(error.message, /4194304 bytes/)
      assert.ok(performance.now() - started < 20_000, 'stopped at the cap, not by the 30 s timeout')
    } finally {
      sim.setFaults({ mode: 'none' })
    }
    const [status] = (await capped.deviceUserQuery([SEED_EMPTY_DEVICE])).value
    assert.equal(status?.deviceName, SEED_EMPTY_DEVICE)
  })
})

describe('EMAPI_MAX_RESPONSE_BYTES', () => {
  const base = { DATABASE_PATH: '/tmp/never-opened.db' }
  test('defaults to 4 MiB and takes a whole number of bytes within its bounds', () => {
    assert.equal(loadConfig(base).EMAPI_MAX_RESPONSE_BYTES, 4 * 1024 * 1024)
    assert.equal(loadConfig({ ...base, EMAPI_MAX_RESPONSE_BYTES: '1048576' }).EMAPI_MAX_RESPONSE_BYTES, 1_048_576)
    for (const bad of ['1000', '1e9', '4MB', '999999999999']) {
      assert.throws(() => loadConfig({ ...base, EMAPI_MAX_RESPONSE_BYTES: bad }), (error: unknown) => error instanceof ConfigError && error.key === 'EMAPI_MAX_RESPONSE_BYTES', bad)
    }
  })
})
