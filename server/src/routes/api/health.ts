import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HealthSchema, type Mode } from '@em-console/shared/schemas'
import { Type } from 'typebox'
import type { EmService } from '../../services/em-service.js'

export interface HealthOptions {
  em: EmService
  version: string
  mode: Mode
  cucm: { host: string, port: number }
}

const health: FastifyPluginAsyncTypebox<HealthOptions> = async (fastify, { em, version, mode, cucm }) => {
  // For load balancers and deploy scripts: says only that the process serves, to anyone. Not rate
  // limited: a balancer behind the same IP as busy clients must not see a live server as dead.
  fastify.get('/api/health/live', {
    config: { role: 'public', rateLimit: false },
    schema: { tags: ['status'], summary: 'Liveness: the server answers (public, no CUCM check)', response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String() }) } }
  }, async () => ({ status: 'ok' as const, version }))

  fastify.get('/api/health', {
    config: { role: 'viewer' },
    schema: { tags: ['status'], summary: 'Version, mode and whether EMAPI answers', response: { 200: HealthSchema } }
  }, async () => ({ version, mode, cucm, emapi: await em.health() }))
}

export default health
