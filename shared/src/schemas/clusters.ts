import { Type, type Static } from 'typebox'
import { DEFAULT_AXL_VERSION } from '../axl/build.js'
import { APP_PASSWORD, APP_USER, AXL_USER, AXL_VERSION, CA_PEM, CLUSTER_ID, CLUSTER_NAME, CUCM_HTTPS_PORT, HOST, MAX_CONCURRENCY, MAX_CONCURRENCY_RULE, MULTIPLE_LOGINS, patternOf } from '../field-rules.js'
import { LiteralUnion } from './common.js'

/**
 * A cluster's id: short, stable, safe in a URL and a query string (`?cluster=hq`). Compared
 * without regard to case, as CUCM compares names.
 */
export const ClusterIdSchema = Type.String({ minLength: 1, maxLength: CLUSTER_ID.maxLength, pattern: patternOf(CLUSTER_ID), description: `A cluster id: ${CLUSTER_ID.allowed}` })

/** As CUCM_HOST: a host name or an IP address. */
export const ClusterHostSchema = Type.String({ minLength: 1, maxLength: HOST.maxLength, pattern: patternOf(HOST), description: 'A host name or IP address without a port (colons only in an IPv6 address)' })
export const ClusterPortSchema = Type.Integer({ minimum: 1, maximum: 65535 })

export const CLUSTER_SOURCES = ['environment', 'database'] as const
export const ClusterSourceSchema = LiteralUnion(CLUSTER_SOURCES, { description: 'environment: the CUCM_* settings (read-only here); database: added from the dashboard or the API' })
export type ClusterSource = Static<typeof ClusterSourceSchema>

/** A forced login refuses up front only where CUCM would refuse the second login (em-service.ts). */
export const MultipleLoginsSchema = LiteralUnion(MULTIPLE_LOGINS, { description: 'CUCM\'s Multiple Login Behavior on this cluster, as set there (EMAPI cannot read it): not-allowed (CUCM\'s default), allowed, or auto-logout' })
export type MultipleLogins = Static<typeof MultipleLoginsSchema>

/**
 * The fields of a cluster as the API takes them (flat, issue #17). Secrets are write-only: they go
 * in, and only `appPasswordSet` / `axlPasswordSet` come out. `null` clears an optional setting.
 */
const fields = {
  name: Type.String({ minLength: 1, maxLength: CLUSTER_NAME.maxLength, pattern: patternOf(CLUSTER_NAME), description: `Display name (default: the host, with ":port" when the port is not ${CUCM_HTTPS_PORT}): ${CLUSTER_NAME.allowed}` }),
  host: ClusterHostSchema,
  port: ClusterPortSchema,
  appUser: Type.String({ minLength: 1, maxLength: APP_USER.maxLength, pattern: patternOf(APP_USER), description: 'The EMAPI application user' }),
  appPassword: Type.String({ minLength: 1, maxLength: APP_PASSWORD.maxLength, pattern: patternOf(APP_PASSWORD), description: `Write-only: ${APP_PASSWORD.allowed}` }),
  caPem: Type.Union([Type.String({ minLength: 1, maxLength: CA_PEM.maxLength }), Type.Null()], { description: 'CUCM\'s Tomcat certificate or its CA, as PEM: once given, exactly that is trusted, not the system store' }),
  tlsInsecure: Type.Boolean({ description: 'true turns TLS verification off (labs only)' }),
  timeoutMs: Type.Integer({ minimum: 100, maximum: 300_000 }),
  maxConcurrency: Type.Integer({ minimum: MAX_CONCURRENCY.min, maximum: MAX_CONCURRENCY.max, description: `Logins and logouts in flight at once on this cluster: ${MAX_CONCURRENCY_RULE}` }),
  multipleLogins: MultipleLoginsSchema,
  timezone: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()], { description: 'IANA time zone of the cluster (default: the server\'s)' }),
  enabled: Type.Boolean(),
  axlHost: Type.Union([ClusterHostSchema, Type.Null()], { description: 'The publisher (default: host)' }),
  axlPort: Type.Union([ClusterPortSchema, Type.Null()], { description: 'Default: the cluster\'s port (CUCM serves AXL and EMAPI on the same port, 8443)' }),
  axlUser: Type.Union([Type.String({ minLength: 1, maxLength: AXL_USER.maxLength, pattern: patternOf(AXL_USER) }), Type.Null()], { description: 'An AXL read-only user; null turns AXL off' }),
  axlPassword: Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Null()], { description: 'Write-only' }),
  axlVersion: Type.Union([Type.String({ maxLength: AXL_VERSION.maxLength, pattern: patternOf(AXL_VERSION) }), Type.Null()], { description: `The AXL schema version: ${AXL_VERSION.allowed} (default ${DEFAULT_AXL_VERSION})` })
}

/** Every field a cluster is edited by, each optional: PATCH takes them so (a secret left out is kept; the id never changes). */
export const UpdateClusterBodySchema = Type.Partial(Type.Object({
  name: fields.name,
  host: fields.host,
  port: fields.port,
  appUser: fields.appUser,
  appPassword: fields.appPassword,
  caPem: fields.caPem,
  tlsInsecure: fields.tlsInsecure,
  timeoutMs: fields.timeoutMs,
  maxConcurrency: fields.maxConcurrency,
  multipleLogins: fields.multipleLogins,
  timezone: fields.timezone,
  enabled: fields.enabled,
  axlHost: fields.axlHost,
  axlPort: fields.axlPort,
  axlUser: fields.axlUser,
  axlPassword: fields.axlPassword,
  axlVersion: fields.axlVersion
}), { additionalProperties: false })
export type UpdateClusterBody = Static<typeof UpdateClusterBodySchema>

/** The same fields, with the id, and the four a new cluster cannot do without. */
export const CreateClusterBodySchema = Type.Object({
  ...UpdateClusterBodySchema.properties,
  id: ClusterIdSchema,
  host: fields.host,
  appUser: fields.appUser,
  appPassword: fields.appPassword
}, { additionalProperties: false })
export type CreateClusterBody = Static<typeof CreateClusterBodySchema>

export const ClusterParamsSchema = Type.Object({ id: ClusterIdSchema })

/** Whether a cluster's EMAPI answers, by a cheap query that is not audited; cached a few seconds. */
export const EmapiHealthSchema = Type.Object({
  reachable: Type.Boolean(),
  latencyMs: Type.Union([Type.Number(), Type.Null()]),
  checkedAt: Type.String({ format: 'date-time' }),
  checking: Type.Optional(Type.Literal(true, { description: 'No answer yet: the first probe of this cluster since the server started (or the cluster was added or changed) is still waiting for CUCM, up to the cluster\'s time limit. `reachable` is false until it answers; ask again in a few seconds. A monitoring check (/api/health/check) and `fresh` wait for the answer instead' })),
  error: Type.Optional(Type.Object({
    code: Type.String(),
    message: Type.String(),
    emapiCode: Type.Optional(Type.Integer()),
    refused: Type.Optional(Type.Boolean({ description: 'CUCM answered and refused EM Console: its application user, password or rights (an EMAPI code of the configuration kind)' })),
    action: Type.Optional(Type.String({ description: 'What to do about it: the setting or the CUCM page to look at' }))
  }))
})
export type EmapiHealth = Static<typeof EmapiHealthSchema>

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

/** A cluster as the API shows it: its settings without secrets, and its health. */
export const ClusterSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  source: ClusterSourceSchema,
  /** true for the environment's clusters: change them in the environment and restart. */
  readOnly: Type.Boolean(),
  enabled: Type.Boolean(),
  host: Type.String(),
  port: Type.Integer(),
  appUser: Type.String(),
  appPasswordSet: Type.Boolean(),
  caPem: Nullable(Type.String()),
  tlsInsecure: Type.Boolean(),
  timeoutMs: Type.Integer(),
  maxConcurrency: Type.Integer(),
  multipleLogins: MultipleLoginsSchema,
  /** As set; null: the server's time zone (`effectiveTimezone`). */
  timezone: Nullable(Type.String()),
  effectiveTimezone: Type.String(),
  axlHost: Nullable(Type.String()),
  axlPort: Nullable(Type.Integer()),
  axlUser: Nullable(Type.String()),
  axlPasswordSet: Type.Boolean(),
  axlVersion: Nullable(Type.String()),
  createdAt: Nullable(Type.String({ format: 'date-time' })),
  updatedAt: Nullable(Type.String({ format: 'date-time' })),
  /** Why an enabled cluster cannot be used (e.g. its passwords do not decrypt with this SECRET_KEY). */
  problem: Nullable(Type.String()),
  /** null while disabled or unusable. */
  health: Nullable(EmapiHealthSchema)
})
export type Cluster = Static<typeof ClusterSchema>

export const ClusterListSchema = Type.Object({ clusters: Type.Array(ClusterSchema) })
export type ClusterList = Static<typeof ClusterListSchema>

export const CHECK_NAMES = ['configuration', 'reachable', 'tls', 'service', 'credentials', 'proxy-rights', 'axl'] as const
export const CheckNameSchema = LiteralUnion(CHECK_NAMES)
export type CheckName = Static<typeof CheckNameSchema>

/** One step of a connection check; `fix` says what to do when it failed. */
export const CheckStepSchema = Type.Object({
  name: CheckNameSchema,
  label: Type.String(),
  /** null: not checked (an earlier step failed) or could not be told. */
  ok: Nullable(Type.Boolean()),
  message: Type.String(),
  fix: Type.Optional(Type.String())
})
export type CheckStep = Static<typeof CheckStepSchema>

export const ClusterCheckSchema = Type.Object({
  cluster: Type.String(),
  /** Every step passed (a step that could not be told does not count as failed). */
  ok: Type.Boolean(),
  steps: Type.Array(CheckStepSchema)
})
export type ClusterCheck = Static<typeof ClusterCheckSchema>
