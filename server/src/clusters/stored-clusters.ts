import { dirname, join } from 'node:path'
import { HOST_FORM } from '@em-console/shared/field-rules'
import type { Config } from '../config.js'
import type { ClusterFields, StoredCluster } from './cluster-repository.js'
import type { ClusterDefinition, ClusterSettings } from './definitions.js'
import { SecretError, type SecretBox } from './secrets.js'

/** SECRET_KEY_FILE, by default `secret.key` beside the database (none for an in-memory database). */
export function secretKeyFile (config: Config): string | undefined {
  if (config.SECRET_KEY_FILE !== undefined) return config.SECRET_KEY_FILE
  return config.DATABASE_PATH === ':memory:' ? undefined : join(dirname(config.DATABASE_PATH), 'secret.key')
}

/** The additional data each secret is sealed with: it decrypts only in its own cluster and field. */
function context (id: string, field: 'appPassword' | 'axlPassword'): string {
  return `cluster:${id.toLowerCase()}:${field}`
}

/** A stored row as the registry uses it; a password that does not decrypt makes it unusable, not fatal. */
export function definitionOf (row: StoredCluster, secrets: SecretBox): ClusterDefinition {
  let problem: string | undefined
  const open = (sealed: string, field: 'appPassword' | 'axlPassword'): string => {
    try {
      return secrets.open(sealed, context(row.id, field))
    } catch (error) {
      if (!(error instanceof SecretError)) throw error
      problem ??= error.message
      return ''
    }
  }
  const settings: ClusterSettings = {
    id: row.id,
    name: row.name,
    host: row.host,
    port: row.port,
    appUser: row.appUser,
    appPassword: open(row.appPasswordSealed, 'appPassword'),
    caPem: row.caPem ?? undefined,
    tlsInsecure: row.tlsInsecure,
    timeoutMs: row.timeoutMs,
    maxConcurrency: row.maxConcurrency,
    multipleLogins: row.multipleLogins,
    timezone: row.timezone ?? undefined,
    enabled: row.enabled,
    axl: row.axlUser === null
      ? undefined
      : { host: row.axlHost ?? undefined, port: row.axlPort ?? undefined, user: row.axlUser, password: row.axlPasswordSealed === null ? '' : open(row.axlPasswordSealed, 'axlPassword'), version: row.axlVersion ?? undefined }
  }
  // A host with its port typed in (saved before hosts were checked so): no URL can be made of it,
  // and opening it failed every start. Unusable until edited, as a password that does not decrypt.
  const badHost = [row.host, row.axlHost].find((host) => host !== null && !HOST_FORM.test(host))
  if (badHost !== undefined) problem ??= `its host "${badHost}" is not a host name or IP address without a port: edit the cluster in Settings → Clusters`
  return { source: 'database', settings, createdAt: row.createdAt, updatedAt: row.updatedAt, ...(problem === undefined ? {} : { problem }) }
}

/**
 * Settings as a row: the passwords sealed, each with a fresh IV, except those `kept` as stored
 * (an edit that leaves a password out keeps its ciphertext, even one this key cannot open).
 */
export function fieldsOf (settings: ClusterSettings, secrets: SecretBox, kept: { appPasswordSealed?: string, axlPasswordSealed?: string } = {}): ClusterFields {
  return {
    id: settings.id,
    name: settings.name,
    host: settings.host,
    port: settings.port,
    appUser: settings.appUser,
    appPasswordSealed: kept.appPasswordSealed ?? secrets.seal(settings.appPassword, context(settings.id, 'appPassword')),
    caPem: settings.caPem ?? null,
    tlsInsecure: settings.tlsInsecure,
    timeoutMs: settings.timeoutMs,
    maxConcurrency: settings.maxConcurrency,
    multipleLogins: settings.multipleLogins,
    timezone: settings.timezone ?? null,
    enabled: settings.enabled,
    axlHost: settings.axl?.host ?? null,
    axlPort: settings.axl?.port ?? null,
    axlUser: settings.axl?.user ?? null,
    axlPasswordSealed: settings.axl === undefined ? null : kept.axlPasswordSealed ?? secrets.seal(settings.axl.password, context(settings.id, 'axlPassword')),
    axlVersion: settings.axl?.version ?? null
  }
}
