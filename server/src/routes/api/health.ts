import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HealthCheckSchema, HealthQuerySchema, HealthSchema, type ClusterHealth, type HealthCheck, type Mode } from '@em-console/shared/schemas'
import { Type } from 'typebox'
import type { ClusterRegistry } from '../../clusters/registry.js'
import type { Store } from '../../store/store.js'

export interface HealthOptions {
  clusters: ClusterRegistry
  version: string
  mode: Mode
  store: Pick<Store, 'health'>
  /** Demo mode's built-in simulators, by cluster id: a cluster is simulated when it points at its own. */
  simulatorPorts?: ReadonlyMap<string, number>
}

const health: FastifyPluginAsyncTypebox<HealthOptions> = async (fastify, { clusters, version, mode, store, simulatorPorts }) => {
  // For load balancers and deploy scripts: says only that the process serves, to anyone. Not rate
  // limited: a balancer behind the same IP as busy clients must not see a live server as dead.
  fastify.get('/api/health/live', {
    config: { role: 'public', rateLimit: false },
    schema: { tags: ['status'], summary: 'Liveness: the server answers (public, no CUCM check)', response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String() }) } }
  }, async () => ({ status: 'ok' as const, version }))

  // Every cluster at once: thirty clusters take as long as the slowest, not thirty times one.
  // `fresh`: the monitoring check, and a person's "Check now", wait for a probe rather than read the
  // last one past its cache time (which an admin who just mended a setting would read as unmended).
  // Only the person's (`asked`) sends an application user CUCM refused again (em-service health).
  const probeAll = async (fresh = false, asked = false): Promise<ClusterHealth[]> => await Promise.all(clusters.list().map(async (cluster): Promise<ClusterHealth> => ({
    id: cluster.id,
    name: cluster.name,
    cucm: { host: cluster.settings.host, port: cluster.settings.port },
    emapi: await cluster.health({ fresh, asked }),
    simulated: simulatorPorts?.get(cluster.id) === cluster.settings.port && ['127.0.0.1', 'localhost'].includes(cluster.settings.host)
  })))

  // An enabled cluster the registry could not open (its stored password does not decrypt) is one
  // of every enabled cluster: left out, the dashboard showed the others green and nothing of it.
  const unusable = (): ClusterHealth[] => clusters.definitions()
    .filter((d) => d.problem !== undefined && d.settings.enabled)
    .map(({ settings, problem }) => ({
      id: settings.id,
      name: settings.name,
      cucm: { host: settings.host, port: settings.port },
      emapi: { reachable: false, latencyMs: null, checkedAt: new Date().toISOString(), error: { code: 'CLUSTER_UNAVAILABLE', message: problem ?? 'It could not be opened.' } },
      simulated: false
    }))

  fastify.get('/api/health', {
    config: { role: 'viewer' },
    schema: { tags: ['status'], summary: 'Version, mode and whether EMAPI answers on every enabled cluster (the first one\'s also at the top level)', querystring: HealthQuerySchema, response: { 200: HealthSchema } }
  }, async (request) => {
    const all = [...await probeAll(request.query.fresh === true, request.query.fresh === true), ...unusable()]
    const first = all[0] as ClusterHealth
    const { queued, problem } = store.health()
    return { version, mode, cucm: first.cucm, emapi: first.emapi, clusters: all, store: { queued, problem: problem ?? null } }
  })

  // For monitoring (a Nagios check, a Prometheus probe): the status code says whether EM Console
  // can do its job, without an account. An anonymous caller learns which part fails, not where
  // CUCM is or why (GET /api/health, signed in, says that). The probes are those of
  // /api/health, cached, so polling it does not add to CUCM's load.
  fastify.get('/api/health/check', {
    // Rate limited as every route that asks CUCM: anyone may call it, and each call past the
    // probes' cache time waits for a new probe of every cluster. A monitor polls it far below the limit.
    config: { role: 'public' },
    schema: { tags: ['status'], summary: 'For monitoring (public): 200 when the database takes writes and every enabled cluster\'s EMAPI answers, else 503 naming the part that fails', response: { 200: HealthCheckSchema, 503: HealthCheckSchema } }
  }, async (_request, reply) => {
    const probed = (await probeAll(true)).map(({ id, emapi }) => ({ id, emapi: emapi.reachable && emapi.error === undefined ? 'ok' : emapi.error?.code ?? 'EMAPI_UNREACHABLE' }))
    const check: HealthCheck = {
      status: 'ok',
      store: store.health().problem === undefined ? 'ok' : 'refusing-writes',
      clusters: [...probed, ...unusable().map(({ id }) => ({ id, emapi: 'CLUSTER_UNAVAILABLE' }))]
    }
    if (check.store !== 'ok' || check.clusters.some((c) => c.emapi !== 'ok')) {
      check.status = 'failing'
      return await reply.code(503).send(check)
    }
    return check
  })
}

export default health
