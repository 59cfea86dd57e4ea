/**
 * What the EMAPI and AXL simulators share: reading a request's body within a bound, and their
 * control API (`/__sim/...`, `/__axl/...`): its JSON answers and the checks of the settings a
 * test puts, refused in words with a 400.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

/** The largest request body either simulator reads (an EMAPI form, an AXL query, a control call). */
const MAX_REQUEST_BYTES = 1024 * 1024

/** A control call whose settings cannot be taken: answered 400 with its message. */
export class BadInput extends Error {}

/** The body of `req` as text, or null past `MAX_REQUEST_BYTES` (its reading stops there). */
export async function readBody (req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_REQUEST_BYTES) return null
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function sendJson (res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body))
}

/** One control call: the JSON it answers, given a reader of the call's JSON body. */
export type ControlRoute = (readJson: () => Promise<unknown>) => unknown

/** Answers a control call (`route`: "METHOD name") from `routes`: 404 for another, 400 for bad input. */
export async function answerControl (req: IncomingMessage, res: ServerResponse, route: string, routes: Record<string, ControlRoute>): Promise<void> {
  const readJson = async (): Promise<unknown> => {
    try {
      return JSON.parse(await readBody(req) ?? '')
    } catch {
      throw new BadInput('the body must be JSON')
    }
  }
  const call = Object.hasOwn(routes, route) ? routes[route] : undefined
  if (call === undefined) return sendJson(res, 404, { error: 'Not Found' })
  try {
    sendJson(res, 200, await call(readJson))
  } catch (error) {
    if (error instanceof BadInput) return sendJson(res, 400, { error: error.message })
    throw error
  }
}

/**
 * Answers a test holds until it lets them go (a simulator's `hold` fault): `whileHeld` returns once
 * its condition is false, looked at again each time the faults change (`changed`).
 */
export class Holds {
  #changed: { next: Promise<void>, come: () => void } | undefined

  changed (): void {
    this.#changed?.come()
    this.#changed = undefined
  }

  async whileHeld (held: () => boolean): Promise<void> {
    while (held()) {
      if (this.#changed === undefined) {
        let come = (): void => {}
        this.#changed = { next: new Promise((resolve) => { come = resolve }), come }
      }
      await this.#changed.next
    }
  }
}

/** `input` as the object of settings named `what`. */
export function settings (input: unknown, what: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null) throw new BadInput(`${what} must be an object`)
  return input as Record<string, unknown>
}

/** The settings of `names` that are given, each a non-negative integer. */
export function counts<K extends string> (input: Record<string, unknown>, names: readonly K[]): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {}
  for (const name of names) {
    const value = input[name]
    if (value === undefined) continue
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new BadInput(`${name} must be a non-negative integer`)
    out[name] = value
  }
  return out
}

/** The settings of `names` that are given, each a boolean. */
export function flags<K extends string> (input: Record<string, unknown>, names: readonly K[]): Partial<Record<K, boolean>> {
  const out: Partial<Record<K, boolean>> = {}
  for (const name of names) {
    const value = input[name]
    if (value === undefined) continue
    if (typeof value !== 'boolean') throw new BadInput(`${name} must be a boolean`)
    out[name] = value
  }
  return out
}

/** The setting `name` when given: one of `allowed`. */
export function oneOf<T extends string> (input: Record<string, unknown>, name: string, allowed: readonly T[]): T | undefined {
  const value = input[name]
  if (value === undefined) return undefined
  if (!allowed.includes(value as T)) throw new BadInput(`${name} must be one of ${allowed.join(', ')}`)
  return value as T
}
