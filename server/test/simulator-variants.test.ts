/**
 * Every variant PROTOCOL.md names, produced by the simulator and read by the real client over
 * HTTPS: "the client is tolerant of every variant named; the simulator can produce each"
 * (../../shared/emapi/PROTOCOL.md).
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { describeEmapiCode, EmapiFailureError } from '@em-console/shared/emapi'
import { createEmapiClient, type EmapiClient } from '../src/emapi/client.ts'
import { SEED_EMPTY_DEVICE, SEED_OCCUPIED_DEVICE } from '../src/simulator/seed.ts'
import { startSimulator, type Simulator } from '../src/simulator/server.ts'

let sim: Simulator
let client: EmapiClient

async function failure (promise: Promise<unknown>): Promise<EmapiFailureError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  assert.ok(error instanceof EmapiFailureError, `expected an EMAPI failure, got ${String(error)}`)
  return error
}

before(async () => {
  sim = await startSimulator()
  client = createEmapiClient({ host: '127.0.0.1', port: sim.port, appUser: sim.credentials.appUser, appPassword: sim.credentials.appPassword, ca: sim.caPem, timeoutMs: 10_000 })
})

beforeEach(() => sim.reset())

after(async () => {
  await client.close()
  await sim.close()
})

describe('EMAPI error codes (PROTOCOL.md §4)', () => {
  test('every code the table names can be answered, to a change and to a look-up, in both failure forms; the client reads its number and meaning', async () => {
    // Those the simulated rules never reach on their own: untrusted IP, proxy, database, RIS, EMCC…
    for (const code of [0, 4, 5, 6, 7, 9, 20, 21, 27, 28, 29, 30, 31, 40, 47]) {
      sim.setFaults({ mode: 'failure', failureCode: code })
      const login = await failure(client.login({ deviceName: SEED_EMPTY_DEVICE, userId: 'asmith' }))
      assert.equal(login.emapiCode, code)
      assert.deepEqual(login.info, describeEmapiCode(code))
      assert.equal((await failure(client.deviceUserQuery([SEED_OCCUPIED_DEVICE]))).emapiCode, code)
    }
    sim.setVariants({ failureForm: 'errorMessage' })
    sim.setFaults({ mode: 'failure', failureCode: 28 })
    assert.equal((await failure(client.logout(SEED_OCCUPIED_DEVICE))).emapiCode, 0, 'the DTD form carries no code')
    assert.equal(sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser, 'jdoe', 'a failure changes nothing')
  })

  test('the failure mode obeys faultTimes and faultOn like every mode', async () => {
    sim.setFaults({ mode: 'failure', failureCode: 30, faultOn: 'queries', faultTimes: 1 })
    await client.logout(SEED_OCCUPIED_DEVICE)
    assert.equal((await failure(client.deviceUserQuery([SEED_OCCUPIED_DEVICE]))).emapiCode, 30)
    const [device] = (await client.deviceUserQuery([SEED_OCCUPIED_DEVICE])).value
    assert.equal(device?.currentUser, null)
    assert.equal(sim.faults.mode, 'none')
  })
})
