import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HealthSchema, type Mode } from '@em-console/shared/schemas'
import type { EmService } from '../../services/em-service.js'

export interface HealthOptions {
  em: EmService
  version: string
  mode: Mode
  cucm: { host: string, port: number }
}

const health: FastifyPluginAsyncTypebox<HealthOptions> = async (fastify, { em, version, mode, cucm }) => {
  fastify.get('/api/health', {
    config: { role: 'viewer' },
    schema: { tags: ['status'], summary: 'Version, mode and whether EMAPI answers', response: { 200: HealthSchema } }
  }, async () => ({ version, mode, cucm, emapi: await em.health() }))
}

export default health
