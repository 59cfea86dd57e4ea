import { Type, type Static } from 'typebox'
import { EmapiHealthSchema } from './clusters.js'

export const ModeSchema = Type.Union([Type.Literal('simulator'), Type.Literal('cucm')])
export type Mode = Static<typeof ModeSchema>

/** One enabled cluster's connection. */
export const ClusterHealthSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  cucm: Type.Object({ host: Type.String(), port: Type.Integer() }),
  emapi: EmapiHealthSchema,
  simulated: Type.Boolean({ description: 'One of demo mode\'s built-in simulators (a cluster added in the dashboard is not, unless pointed at one)' })
})
export type ClusterHealth = Static<typeof ClusterHealthSchema>

/**
 * `cucm` and `emapi` are the first cluster's (the environment's), as before there were several;
 * `clusters` has every enabled cluster, the first one first.
 */
export const HealthSchema = Type.Object({
  version: Type.String(),
  mode: ModeSchema,
  cucm: Type.Object({ host: Type.String(), port: Type.Integer() }),
  emapi: EmapiHealthSchema,
  clusters: Type.Array(ClusterHealthSchema),
  store: Type.Object({
    queued: Type.Integer({ description: 'Writes waiting for the database' }),
    problem: Type.Union([Type.Object({ since: Type.String(), error: Type.String() }), Type.Null()], { description: 'Set while the database refuses writes (a lock held elsewhere, a full disk): changes to CUCM are then refused (503 AUDIT_UNAVAILABLE) rather than sent unrecorded' })
  }, { description: 'The audit trail\'s database' })
})
export type Health = Static<typeof HealthSchema>

export const HealthQuerySchema = Type.Object({
  fresh: Type.Optional(Type.Boolean({ description: 'Wait for a new probe when the last is past its cache time (5 s), instead of answering it while one runs: a person\'s "Check now" after a fix. It also asks again with an application user CUCM refused, which no poll or monitoring check sends again' }))
}, { additionalProperties: false })
export type HealthQuery = Static<typeof HealthQuerySchema>

/**
 * What a monitoring check learns without signing in: whether each part works, by its status code
 * (200 or 503) and a word per part; no host, port, version or error text.
 */
export const HealthCheckSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('failing')], { description: '"failing" (HTTP 503) when the database refuses writes or an enabled cluster\'s EMAPI does not answer' }),
  store: Type.Union([Type.Literal('ok'), Type.Literal('refusing-writes')], { description: 'The audit trail\'s database: "refusing-writes" while a lock held elsewhere or a full disk keeps writes waiting (changes to CUCM are then refused)' }),
  clusters: Type.Array(Type.Object({
    id: Type.String(),
    emapi: Type.String({ description: '"ok", or the code of what failed: EMAPI_UNREACHABLE, EMAPI_TIMEOUT, EMAPI_TLS, EMAPI_FAILURE (CUCM refused the application user), CLUSTER_UNAVAILABLE (its stored password does not decrypt), ...' })
  }), { description: 'Every enabled cluster' })
})
export type HealthCheck = Static<typeof HealthCheckSchema>
