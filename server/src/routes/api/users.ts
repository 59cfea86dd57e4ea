import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ClusterQuerySchema, UserDeviceProfilesSchema, UserDevicesSchema, UserLogoutResultSchema, UserParamsSchema } from '@em-console/shared/schemas'
import type { ClusterActions } from '../../clusters/cluster-actions.js'
import { withUnavailable } from '../../http-errors.js'
import { callerOf } from '../caller.js'
import { ERROR_RESPONSES } from '../responses.js'

const HELP = 'Without ?cluster= every enabled cluster is asked and the answers merged, each device and profile naming its cluster. The devices of a user found where some clusters answered name those that could not be asked in `unavailable`.'

const users: FastifyPluginAsyncTypebox<{ actions: ClusterActions }> = async (fastify, { actions }) => {
  fastify.get('/api/users/:userId/devices', {
    config: { role: 'viewer' },
    schema: { tags: ['users'], summary: 'The devices a user is logged in to', description: HELP, params: UserParamsSchema, querystring: ClusterQuerySchema, response: { 200: UserDevicesSchema, ...ERROR_RESPONSES } }
  }, async (request) => withUnavailable(await actions.userDevices(callerOf(request), request.params.userId, request.query.cluster)))

  fastify.get('/api/users/:userId/device-profiles', {
    config: { role: 'viewer' },
    schema: { tags: ['users'], summary: 'The device profiles of a user', description: HELP, params: UserParamsSchema, querystring: ClusterQuerySchema, response: { 200: UserDeviceProfilesSchema, ...ERROR_RESPONSES } }
  }, async (request) => withUnavailable(await actions.userProfiles(callerOf(request), request.params.userId, request.query.cluster)))

  fastify.post('/api/users/:userId/logout', {
    config: { role: 'operator' },
    schema: { tags: ['users'], summary: 'Log a user out of every device they are on', description: HELP, params: UserParamsSchema, querystring: ClusterQuerySchema, response: { 200: UserLogoutResultSchema, ...ERROR_RESPONSES } }
  }, async (request) => await actions.logoutUser(callerOf(request), request.params.userId, request.query.cluster))
}

export default users
