import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { SEED_EMPTY_DEVICE } from '../src/simulator/seed.ts'
import { buildTestApp } from './helpers/app.ts'

// Collections on demand: what the server still holds is what survives one.
setFlagsFromString('--expose-gc')
const collect = runInNewContext('gc') as () => void

test('a change\'s audit record, once written, is not kept until the server stops (each change kept ~600 bytes for the life of the process)', async () => {
  const t = await buildTestApp()
  try {
    // Every pending record's write, weakly: one the service still holds stays.
    const writes: Array<WeakRef<Promise<unknown>>> = []
    const write = t.store.write
    t.store.write = (change, label) => {
      const written = write(change, label)
      if (label.startsWith('failed ')) writes.push(new WeakRef(written))
      return written
    }
    // Look-ups CUCM turns away: each one's record is written before its answer (recordNow).
    t.sim.setFaults({ mode: 'http-503' })
    for (let i = 0; i < 20; i++) assert.equal((await t.inject(`/api/devices/${SEED_EMPTY_DEVICE}`)).statusCode, 502)
    t.store.write = write
    assert.equal(writes.length, 20)
    await new Promise((resolve) => setImmediate(resolve))
    collect()
    assert.equal(writes.filter((ref) => ref.deref() !== undefined).length, 0, 'records\' writes still held')
  } finally {
    await t.close()
  }
})
