import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AdaptiveLimiter, RAISE_AFTER_MS } from '../src/services/limiter.ts'

/** A task that runs until `end()` is called. */
function held (): { task: () => Promise<void>, end: () => void } {
  let end = (): void => {}
  const ended = new Promise<void>((resolve) => { end = resolve })
  return { task: async () => { await ended }, end }
}

test('a busy answer lowers the cap to the tasks still running; each RAISE_AFTER_MS without one raises it by one, up to the ceiling', async () => {
  let now = 0
  const limiter = new AdaptiveLimiter(4, () => now)
  const tasks = [held(), held(), held()]
  const running = tasks.map(async ({ task }) => { await limiter.run(task) })
  assert.equal(limiter.active, 3)
  assert.equal(limiter.busy(), 3, 'the fourth was refused with three running: three at once')
  assert.equal(limiter.busy(), 2, 'another refusal lowers it again, one at a time at most')
  tasks[0]?.end()
  await running[0]
  assert.equal(limiter.max, 2, 'no raise before RAISE_AFTER_MS')
  now += RAISE_AFTER_MS
  tasks[1]?.end()
  await running[1]
  assert.equal(limiter.max, 3, 'raised by one')
  tasks[2]?.end()
  await running[2]
  assert.equal(limiter.max, 3, 'the next raise waits another RAISE_AFTER_MS')
  const single = new AdaptiveLimiter(2, () => now)
  assert.equal(single.busy(), 1, 'never below one')
  assert.equal(single.busy(), undefined, 'at one, a busy answer lowers nothing')
  single.ceiling = 5
  assert.equal(single.max, 5, 'a new setting is the cap again')
})

test('a cap raised while changes wait lets as many in at once as it allows; one lowered is reached as running ones end, in their order', async () => {
  const limiter = new AdaptiveLimiter(1)
  const tasks = [held(), held(), held(), held(), held(), held()]
  const started: number[] = []
  const running = tasks.map(async ({ task }, i) => { await limiter.run(async () => { started.push(i); await task() }) })
  assert.deepEqual(started, [0])
  // A cluster's concurrency raised in Settings during a run of many phones: used at once, not one more at a time.
  limiter.ceiling = 4
  await Promise.resolve()
  assert.deepEqual([limiter.active, started], [4, [0, 1, 2, 3]])
  limiter.ceiling = 2
  for (const i of [0, 1]) {
    tasks[i]?.end()
    await running[i]
  }
  assert.deepEqual([limiter.active, started], [2, [0, 1, 2, 3]], 'two ended with four running and a cap of two: none more')
  tasks[2]?.end()
  await running[2]
  assert.deepEqual([limiter.active, started], [2, [0, 1, 2, 3, 4]], 'the first to wait goes first')
  tasks[3]?.end()
  await running[3]
  assert.deepEqual([limiter.active, started], [2, [0, 1, 2, 3, 4, 5]])
  for (const i of [4, 5]) {
    tasks[i]?.end()
    await running[i]
  }
  assert.equal(limiter.active, 0)
})
