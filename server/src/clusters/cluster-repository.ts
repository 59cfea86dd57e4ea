import type { MultipleLogins } from '@em-console/shared/schemas'
import type { Db } from '../store/database.js'

/**
 * A stored cluster as the database holds it. The two passwords are sealed (secrets.ts): this
 * repository never sees them in clear, so nothing here can leak one.
 */
export interface StoredCluster {
  id: string
  name: string
  host: string
  port: number
  appUser: string
  appPasswordSealed: string
  caPem: string | null
  tlsInsecure: boolean
  timeoutMs: number
  maxConcurrency: number
  multipleLogins: MultipleLogins
  timezone: string | null
  enabled: boolean
  axlHost: string | null
  axlPort: number | null
  axlUser: string | null
  axlPasswordSealed: string | null
  axlVersion: string | null
  createdAt: string
  createdBy: string
  updatedAt: string
  updatedBy: string
}

export type ClusterFields = Omit<StoredCluster, 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy'>

interface ClusterRow {
  id: string
  name: string
  host: string
  port: number
  app_user: string
  app_password: string
  ca_pem: string | null
  tls_insecure: number
  timeout_ms: number
  max_concurrency: number
  multiple_logins: MultipleLogins
  timezone: string | null
  enabled: number
  axl_host: string | null
  axl_port: number | null
  axl_user: string | null
  axl_password: string | null
  axl_version: string | null
  created_at: string
  created_by: string
  updated_at: string
  updated_by: string
}

function toCluster (row: ClusterRow): StoredCluster {
  return {
    id: row.id,
    name: row.name,
    host: row.host,
    port: row.port,
    appUser: row.app_user,
    appPasswordSealed: row.app_password,
    caPem: row.ca_pem,
    tlsInsecure: row.tls_insecure === 1,
    timeoutMs: row.timeout_ms,
    maxConcurrency: row.max_concurrency,
    multipleLogins: row.multiple_logins,
    timezone: row.timezone,
    enabled: row.enabled === 1,
    axlHost: row.axl_host,
    axlPort: row.axl_port,
    axlUser: row.axl_user,
    axlPasswordSealed: row.axl_password,
    axlVersion: row.axl_version,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by
  }
}

function params (fields: ClusterFields): Record<string, unknown> {
  return {
    id: fields.id,
    name: fields.name,
    host: fields.host,
    port: fields.port,
    appUser: fields.appUser,
    appPassword: fields.appPasswordSealed,
    caPem: fields.caPem,
    tlsInsecure: fields.tlsInsecure ? 1 : 0,
    timeoutMs: fields.timeoutMs,
    maxConcurrency: fields.maxConcurrency,
    multipleLogins: fields.multipleLogins,
    timezone: fields.timezone,
    enabled: fields.enabled ? 1 : 0,
    axlHost: fields.axlHost,
    axlPort: fields.axlPort,
    axlUser: fields.axlUser,
    axlPassword: fields.axlPasswordSealed,
    axlVersion: fields.axlVersion
  }
}

export type ClusterRepository = ReturnType<typeof createClusterRepository>

export function createClusterRepository (db: Db, now: () => Date = () => new Date()) {
  // Creation order is the order the dashboard lists them in.
  const all = db.prepare('SELECT * FROM clusters ORDER BY rowid')
  const byId = db.prepare('SELECT * FROM clusters WHERE id = ?')
  const insert = db.prepare(`INSERT INTO clusters (id, name, host, port, app_user, app_password, ca_pem, tls_insecure, timeout_ms, max_concurrency, multiple_logins, timezone, enabled,
      axl_host, axl_port, axl_user, axl_password, axl_version, created_at, created_by, updated_at, updated_by)
    VALUES (@id, @name, @host, @port, @appUser, @appPassword, @caPem, @tlsInsecure, @timeoutMs, @maxConcurrency, @multipleLogins, @timezone, @enabled,
      @axlHost, @axlPort, @axlUser, @axlPassword, @axlVersion, @at, @actor, @at, @actor)`)
  const update = db.prepare(`UPDATE clusters SET name = @name, host = @host, port = @port, app_user = @appUser, app_password = @appPassword, ca_pem = @caPem,
      tls_insecure = @tlsInsecure, timeout_ms = @timeoutMs, max_concurrency = @maxConcurrency, multiple_logins = @multipleLogins, timezone = @timezone, enabled = @enabled,
      axl_host = @axlHost, axl_port = @axlPort, axl_user = @axlUser, axl_password = @axlPassword, axl_version = @axlVersion,
      updated_at = @at, updated_by = @actor
    WHERE id = @id`)
  const remove = db.prepare('DELETE FROM clusters WHERE id = ?')

  const get = (id: string): StoredCluster | undefined => {
    const row = byId.get(id) as ClusterRow | undefined
    return row === undefined ? undefined : toCluster(row)
  }

  return {
    reads: {
      list: (): StoredCluster[] => (all.all() as ClusterRow[]).map(toCluster),
      get
    },
    writes: {
      insert (fields: ClusterFields, actor: string): StoredCluster {
        insert.run({ ...params(fields), at: now().toISOString(), actor })
        return get(fields.id) as StoredCluster
      },
      update (fields: ClusterFields, actor: string): StoredCluster | undefined {
        const changes = update.run({ ...params(fields), at: now().toISOString(), actor }).changes
        return changes === 0 ? undefined : get(fields.id)
      },
      delete (id: string): boolean {
        return remove.run(id).changes > 0
      }
    }
  }
}
