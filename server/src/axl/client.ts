import { DEFAULT_AXL_VERSION, isAxlVersion, type AxlListing } from '@em-console/shared/axl'
import { secretRedactor } from '@em-console/shared/emapi'
import { CUCM_HTTPS_PORT } from '@em-console/shared/field-rules'
import type { Dispatcher } from 'undici'
import { createAxlContext } from './context.js'
import { countPhones, listPhones } from './operations/list-phones.js'
import { countSessions, listSessions } from './operations/list-sessions.js'
import { phonesPageQuery, sessionsPageQuery } from './queries.js'
import { trustContext } from '../emapi/trust.js'
import { IDLE_CONNECTION_MS, Pool } from '../emapi/undici.js'

export interface AxlClientOptions {
  /** The publisher of the cluster (PROTOCOL.md §1). */
  host: string
  /** Default 8443. */
  port?: number
  /** An application user with "Standard AXL API Users" + "Standard AXL Read Only API Access". */
  user: string
  password: string
  /** The AXL schema version to speak first; default 14.0. Another is tried on HTTP 599. */
  version?: string
  /** The CA certificates (PEM) trusted instead of the system store, when given. */
  ca?: string
  /** Turns TLS verification off. Only ever set from an explicit setting. */
  insecure?: boolean
  /** Bounds each HTTP exchange, connecting and reading the whole body included. */
  timeoutMs: number
  /** The most one answer may hold; a larger one is dropped and the page shrunk. Default 8 MiB. */
  maxResponseBytes?: number
  /** Rows asked per page; shrunk when CUCM says an answer is too large. Default 1000. */
  pageSize?: number
  /** Waits before each retry of a throttled answer (HTTP 503, AXL memory used up); default 3 s, 6 s, 12 s. */
  retryDelaysMs?: readonly number[]
  /** Where requests go; tests and benchmarks may pass their own. Closed by close() only if created here. */
  dispatcher?: Dispatcher
}

export interface ListOptions {
  pageSize?: number
  /** The caller's stop: the listing is cut short and rejects with its reason. */
  signal?: AbortSignal
}

export type AxlClient = ReturnType<typeof createAxlClient>

export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024
const DEFAULT_PAGE_SIZE = 1000
/**
 * Cisco's AXL throttling guide asks for retries of a throttled request "after a reasonable delay
 * (e.g. several seconds)": the publisher is busy with other work (a bulk job, other AXL tools'
 * reads), which half a second does not see through. A selection by sessions (a schedule, the
 * CLI) has no later refresh to wait for: it reads through about 20 s of throttling, then fails.
 */
const DEFAULT_RETRY_DELAYS_MS = [3000, 6000, 12000]
/** Listings in a row at a page size that answered before the next one asks for twice the rows. */
export const GROW_AFTER_LISTINGS = 10

function formatHost (host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

export function createAxlClient (options: AxlClientOptions) {
  const version = options.version ?? DEFAULT_AXL_VERSION
  if (!isAxlVersion(version)) throw new TypeError(`Invalid AXL version "${version}": expected a release like 14.0`)
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new TypeError(`Invalid AXL page size ${String(pageSize)}: expected a positive integer`)
  const origin = `https://${formatHost(options.host)}:${options.port ?? CUCM_HTTPS_PORT}`
  const ownDispatcher = options.dispatcher === undefined
  const dispatcher = options.dispatcher ?? new Pool(origin, {
    // One request at a time (context.ts); a second connection only covers a dropped one.
    connections: 2,
    keepAliveTimeout: IDLE_CONNECTION_MS,
    connect: {
      timeout: options.timeoutMs,
      secureContext: trustContext(options.ca),
      rejectUnauthorized: options.insecure !== true
    }
  })
  const credentials = Buffer.from(`${options.user}:${options.password}`, 'utf8').toString('base64')
  const ctx = createAxlContext({
    dispatcher,
    origin,
    authorization: `Basic ${credentials}`,
    redact: secretRedactor([options.password, credentials]),
    version,
    timeoutMs: options.timeoutMs,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    retryDelaysMs: options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    trusted: options.ca
  })

  /**
   * The page size each listing last ended with: once CUCM said a page was too large (or dropped
   * the connection), the next listing (the inventory's refresh every few minutes) starts at the
   * size that answered rather than asking too much again first. A drop may have been a passing
   * fault, not the page's size: after GROW_AFTER_LISTINGS listings in a row that needed no smaller
   * page, the next asks twice the rows again, up to the configured size (a limit that holds costs
   * one refused page per that many listings).
   */
  const pages = { phones: { size: pageSize, clean: 0 }, sessions: { size: pageSize, clean: 0 } }
  async function listed<T> (which: keyof typeof pages, list: ListOptions, read: (size: number) => Promise<AxlListing<T>>): Promise<AxlListing<T>> {
    if (list.pageSize !== undefined) return await read(list.pageSize)
    const last = pages[which]
    const asked = last.clean >= GROW_AFTER_LISTINGS ? Math.min(pageSize, last.size * 2) : last.size
    const listing = await read(asked)
    pages[which] = { size: listing.pageSize, clean: asked === last.size && listing.pageSize === asked ? last.clean + 1 : 0 }
    return listing
  }

  return {
    origin,
    /** The AXL version in use: the configured one, or the one that answered after an HTTP 599. */
    get version (): string {
      return ctx.version
    },
    countPhones: async () => await countPhones(ctx),
    listPhones: async (list: ListOptions = {}) => await listed('phones', list, async (size) => await listPhones(ctx, size, list.signal)),
    countSessions: async () => await countSessions(ctx),
    listSessions: async (list: ListOptions = {}) => await listed('sessions', list, async (size) => await listSessions(ctx, size, list.signal)),
    /**
     * One row of each listing, every column it reads named: a release whose schema lacks one fails
     * naming it (PROTOCOL.md §2), as the inventory's next refresh would. A count names none of them.
     */
    async readEveryColumn (): Promise<void> {
      for (const query of [phonesPageQuery(0, 1), sessionsPageQuery(0, 1)]) await ctx.executeSqlQuery(query)
    },
    async close (): Promise<void> {
      if (ownDispatcher) await dispatcher.close()
    },
    /** Closes at once, aborting a read in flight (a shutdown does not wait for a slow publisher). */
    async destroy (): Promise<void> {
      if (ownDispatcher) await dispatcher.destroy()
    }
  }
}
