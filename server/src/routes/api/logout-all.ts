import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ActionResultSchema, LogoutAllBodySchema } from '@em-console/shared/schemas'
import type { EmService } from '../../services/em-service.js'
import { callerOf } from '../caller.js'
import { ERROR_RESPONSES } from '../responses.js'

const logoutAll: FastifyPluginAsyncTypebox<{ em: EmService }> = async (fastify, { em }) => {
  fastify.post('/api/logout-all', {
    config: { role: 'operator' },
    schema: {
      tags: ['actions'],
      summary: 'Log out every Extension Mobility user on the cluster (EMAPI logoutAll)',
      description: 'Requires the confirmation text. Only one runs at a time: a second request gets 409 with the running audit id.',
      body: LogoutAllBodySchema,
      response: { 200: ActionResultSchema, ...ERROR_RESPONSES }
    }
  }, async (request) => await em.logoutAll(callerOf(request)))
}

export default logoutAll
