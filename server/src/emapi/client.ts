import type { LoginRequest } from '@em-console/shared/emapi'
import type { Dispatcher } from 'undici'
import { createContext } from './context.js'
import { deviceProfileQuery } from './operations/device-profile-query.js'
import { deviceUserQuery } from './operations/device-user-query.js'
import { login } from './operations/login.js'
import { logoutAll } from './operations/logout-all.js'
import { logout } from './operations/logout.js'
import { userDevicesQuery } from './operations/user-devices-query.js'
import { DEFAULT_MAX_RESPONSE_BYTES } from './transport.js'
import { IDLE_CONNECTION_MS, Pool } from './undici.js'
import { trustContext } from './trust.js'

export interface EmapiClientOptions {
  host: string
  port: number
  appUser: string
  appPassword: string
  /** The CA certificate(s) (PEM) trusted instead of the system store, as curl's --cacert (trust.ts); unset: the system store. */
  ca?: string
  /** Turns TLS verification off. Only ever set from an explicit CUCM_TLS_INSECURE=true. */
  insecure?: boolean
  /** The whole request: connecting, sending, and reading the answer to its last byte. */
  timeoutMs: number
  /** Largest answer read, in bytes (EMAPI_MAX_RESPONSE_BYTES); past it the call fails with EMAPI_TOO_LARGE. Default 4 MiB. */
  maxResponseBytes?: number
  /** Where requests go; tests and benchmarks may pass their own. Closed by close() only if created here. */
  dispatcher?: Dispatcher
}

export type EmapiClient = ReturnType<typeof createEmapiClient>

function formatHost (host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

export function createEmapiClient (options: EmapiClientOptions) {
  const origin = `https://${formatHost(options.host)}:${options.port}`
  const ownDispatcher = options.dispatcher === undefined
  const dispatcher = options.dispatcher ?? new Pool(origin, {
    connections: 16,
    keepAliveTimeout: IDLE_CONNECTION_MS,
    connect: {
      // Connecting (TCP and the TLS handshake) gets half the limit of the whole request, so a
      // connection that never completes is told apart (nothing was sent) from an answer that never
      // comes (the request went out and may have been carried out).
      timeout: Math.max(50, Math.floor(options.timeoutMs / 2)),
      secureContext: trustContext(options.ca),
      rejectUnauthorized: options.insecure !== true
    }
  })
  let destroyed = false
  const ctx = createContext({ appUser: options.appUser, appPassword: options.appPassword }, dispatcher, origin, {
    timeoutMs: options.timeoutMs,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    trusted: options.ca
  })

  return {
    origin,
    login: async (request: LoginRequest) => await login(ctx, request),
    logout: async (deviceName: string) => await logout(ctx, deviceName),
    logoutAll: async () => await logoutAll(ctx),
    deviceUserQuery: async (deviceNames: readonly string[], stop?: AbortSignal) => await deviceUserQuery(ctx, deviceNames, stop),
    userDevicesQuery: async (userIds: readonly string[]) => await userDevicesQuery(ctx, userIds),
    deviceProfileQuery: async (userIds: readonly string[]) => await deviceProfileQuery(ctx, userIds),
    async close (): Promise<void> {
      // Destroyed by a stop that could not wait: nothing is left to close.
      if (ownDispatcher && !destroyed) await dispatcher.close()
    },
    /** Aborts every request in flight (a stop that cannot wait any longer). */
    async destroy (): Promise<void> {
      destroyed = true
      if (ownDispatcher) await dispatcher.destroy()
    }
  }
}
