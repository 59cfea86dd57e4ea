import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HealthSchema, type ClusterHealth, type Mode } from '@em-console/shared/schemas'
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

  fastify.get('/api/health', {
    config: { role: 'viewer' },
    schema: { tags: ['status'], summary: 'Version, mode and whether EMAPI answers on every enabled cluster (the first one\'s also at the top level)', response: { 200: HealthSchema } }
  }, async () => {
    // Every cluster at once: thirty clusters take as long as the slowest, not thirty times one.
    const all = await Promise.all(clusters.list().map(async (cluster): Promise<ClusterHealth> => ({
      id: cluster.id,
      name: cluster.name,
      cucm: { host: cluster.settings.host, port: cluster.settings.port },
      emapi: await cluster.health(),
      simulated: simulatorPorts?.get(cluster.id) === cluster.settings.port && ['127.0.0.1', 'localhost'].includes(cluster.settings.host)
    })))
    const first = all[0] as ClusterHealth
    const { queued, problem } = store.health()
    return { version, mode, cucm: first.cucm, emapi: first.emapi, clusters: all, store: { queued, problem: problem ?? null } }
  })
}

export default health
