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
