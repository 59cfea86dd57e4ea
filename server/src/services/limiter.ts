import { setTimeout as sleep } from 'node:timers/promises'

/** Caps how many tasks run at once; the rest wait their turn in order. The cap may change while tasks run. */
export class Limiter {
  #max: number
  #active = 0
  readonly #waiting: Array<() => void> = []

  constructor (max: number) {
    this.#max = max
  }

  get active (): number {
    return this.#active
  }

  get max (): number {
    return this.#max
  }

  /** A new cap: a higher one lets waiters in at once; a lower one is reached as running tasks end. */
  set max (max: number) {
    this.#max = max
    while (this.#active < this.#max && this.#waiting.length > 0) {
      this.#active++
      this.#waiting.shift()?.()
    }
  }

  async run<T> (task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#max) await new Promise<void>((resolve) => this.#waiting.push(resolve))
    else this.#active++
    try {
      return await task()
    } finally {
      // The slot passes straight to the next waiter, so a newcomer cannot overtake it (unless the cap was lowered).
      const next = this.#active > this.#max ? undefined : this.#waiting.shift()
      if (next !== undefined) next()
      else this.#active--
    }
  }
}

/** Runs `worker` over `items` with at most `limit` at a time, keeping the order of results. */
export async function mapLimited<T, R> (items: readonly T[], limiter: Limiter, worker: (item: T) => Promise<R>): Promise<R[]> {
  return await Promise.all(items.map(async (item) => await limiter.run(async () => await worker(item))))
}

export function chunk<T> (items: readonly T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size))
  return chunks
}

/** The wait before a retry (`attempt` 0: the first): `baseMs` doubled per attempt, times 0.5 to 1.5 so that callers refused together do not come back together. */
export async function backoff (baseMs: number, attempt: number): Promise<void> {
  await sleep(baseMs * 2 ** attempt * (0.5 + Math.random()))
}

/** `promise`'s value if it settles within `ms`, else undefined (it goes on; its rejection is the caller's). */
export async function within<T> (promise: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<undefined>((resolve) => { timer = setTimeout(() => { resolve(undefined) }, ms) })
  return await Promise.race([promise.then((value) => ({ value })), late]).finally(() => { clearTimeout(timer) })
}
