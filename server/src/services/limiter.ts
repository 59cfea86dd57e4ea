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

/** How long a cap lowered by a busy answer holds, without another, before it is raised by one. */
export const RAISE_AFTER_MS = 10_000

/**
 * The cap of the changes sent to one CUCM cluster, learnt from its busy answers (code 26). CUCM
 * refuses what is past its "Maximum Concurrent Requests" (3 on older releases, 5 by default, and
 * other tools take slots of it too: PROTOCOL.md §5); a refused change was retried after its
 * backoff while the slot it left went at once to the next, so a cap one above CUCM's kept one
 * change refused at any time: a run of 300 phones failed 3 of them and took ~45 % longer. A busy
 * answer now lowers the cap to the changes still in flight (one fewer than the cap at most; never
 * below one), and each `RAISE_AFTER_MS` without another raises it by one, up to `ceiling` (the
 * cluster's setting), so a cluster whose room comes back is used fully again.
 */
export class AdaptiveLimiter extends Limiter {
  #ceiling: number
  #heldSinceMs = Number.NEGATIVE_INFINITY
  readonly #now: () => number

  constructor (ceiling: number, now: () => number = Date.now) {
    super(ceiling)
    this.#ceiling = ceiling
    this.#now = now
  }

  get ceiling (): number {
    return this.#ceiling
  }

  /** The setting's cap: the cap starts from it again. */
  set ceiling (ceiling: number) {
    this.#ceiling = ceiling
    this.max = ceiling
  }

  /** CUCM answered busy: the new cap if this lowered it. */
  busy (): number | undefined {
    this.#heldSinceMs = this.#now()
    const lowered = Math.max(1, Math.min(this.max - 1, this.active))
    if (lowered >= this.max) return undefined
    this.max = lowered
    return lowered
  }

  override async run<T> (task: () => Promise<T>): Promise<T> {
    try {
      return await super.run(task)
    } finally {
      if (this.max < this.#ceiling && this.#now() - this.#heldSinceMs >= RAISE_AFTER_MS) {
        this.#heldSinceMs = this.#now()
        this.max += 1
      }
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
