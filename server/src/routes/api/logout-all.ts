import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { LogoutAllBodySchema, LogoutAllQuerySchema, LogoutAllResultSchema } from '@em-console/shared/schemas'
import type { ClusterActions } from '../../clusters/cluster-actions.js'
import { callerOf } from '../caller.js'
import { ERROR_RESPONSES } from '../responses.js'

const logoutAll: FastifyPluginAsyncTypebox<{ actions: ClusterActions }> = async (fastify, { actions }) => {
  fastify.post('/api/logout-all', {
    config: { role: 'operator' },
    schema: {
      tags: ['actions'],
      summary: 'Log out every Extension Mobility user on a cluster, or on all (EMAPI logoutAll)',
      description: 'Requires the confirmation text. With two clusters or more, ?cluster= is required: a cluster id, or "all" to run logoutAll on every enabled cluster in parallel (one audit row per cluster under one runId; one cluster failing does not stop the others, `outcome` is then "failure" and `clusters` says which). Only one runs at a time per cluster: 409 names the busy cluster.',
      querystring: LogoutAllQuerySchema,
      body: LogoutAllBodySchema,
      response: { 200: LogoutAllResultSchema, ...ERROR_RESPONSES }
    }
  }, async (request) => await actions.logoutAll(callerOf(request), request.query.cluster))
}

export default logoutAll
