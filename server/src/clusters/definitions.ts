import { readFileSync } from 'node:fs'
import { CUCM_HTTPS_PORT } from '@em-console/shared/field-rules'
import type { ClusterSource, MultipleLogins } from '@em-console/shared/schemas'
import type { Config } from '../config.js'

/** A cluster's AXL side; unset parts take their defaults when the client is built. */
export interface AxlSettings {
  /** Default: the EMAPI host. */
  host: string | undefined
  /** Default: the EMAPI port (axlTarget). */
  port: number | undefined
  user: string
  password: string
  /** Default: the AXL client's. */
  version: string | undefined
}

/**
 * Where a cluster's AXL is: its own host and port where set, else the EMAPI's, as CUCM serves
 * both on the same port (8443); a lab's simulator on another port serves both there too.
 */
export function axlTarget (settings: ClusterSettings, axl: AxlSettings): { host: string, port: number } {
  return { host: axl.host ?? settings.host, port: axl.port ?? settings.port }
}

/** Everything a cluster is made of, secrets in clear: held in memory only, never logged or sent. */
export interface ClusterSettings {
  id: string
  name: string
  host: string
  port: number
  appUser: string
  appPassword: string
  caPem: string | undefined
  tlsInsecure: boolean
  timeoutMs: number
  maxConcurrency: number
  /** CUCM's Multiple Login Behavior on the cluster, as the admin says it is set (EMAPI cannot read it). */
  multipleLogins: MultipleLogins
  /** IANA zone; undefined: the server's (SCHEDULE_TIMEZONE, else the machine's). */
  timezone: string | undefined
  enabled: boolean
  axl: AxlSettings | undefined
}

/** A cluster as the registry knows it, whether or not it can be used. */
export interface ClusterDefinition {
  source: ClusterSource
  settings: ClusterSettings
  createdAt?: string
  updatedAt?: string
  /** Why it cannot be used as defined (e.g. its stored passwords do not decrypt); it is then not opened. */
  problem?: string
}

/**
 * A cluster's name when none is given: its host, and its port as a URL writes it when that is not
 * CUCM's own, so clusters on one host (a lab's, on several ports) read apart in the picker and
 * the history.
 */
export function defaultClusterName (host: string, port: number): string {
  if (port === CUCM_HTTPS_PORT) return host
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/** The environment's cluster: the CUCM_* settings, as one cluster (issue #17). */
export function environmentCluster (config: Config): ClusterDefinition {
  const host = config.CUCM_HOST ?? ''
  return {
    source: 'environment',
    settings: {
      id: config.CUCM_CLUSTER_ID,
      name: config.CUCM_CLUSTER_NAME ?? defaultClusterName(host, config.CUCM_PORT),
      host,
      port: config.CUCM_PORT,
      appUser: config.CUCM_APP_USER,
      appPassword: config.CUCM_APP_PASSWORD,
      caPem: config.CUCM_CA_FILE === undefined ? undefined : readFileSync(config.CUCM_CA_FILE, 'utf8'),
      tlsInsecure: config.CUCM_TLS_INSECURE,
      timeoutMs: config.CUCM_TIMEOUT_MS,
      maxConcurrency: config.EMAPI_MAX_CONCURRENCY,
      multipleLogins: config.CUCM_MULTIPLE_LOGINS,
      timezone: config.SCHEDULE_TIMEZONE,
      enabled: true,
      axl: config.CUCM_AXL_USER === undefined
        ? undefined
        : { host: config.CUCM_AXL_HOST, port: config.CUCM_AXL_PORT, user: config.CUCM_AXL_USER, password: config.CUCM_AXL_PASSWORD ?? '', version: config.CUCM_AXL_VERSION }
    }
  }
}

/** Cluster ids compare without regard to case (the database's COLLATE NOCASE). */
export function clusterKey (id: string): string {
  return id.toLowerCase()
}
