import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { UserDeviceProfilesSchema, UserDevicesSchema, UserLogoutResultSchema, UserParamsSchema } from '@em-console/shared/schemas'
import type { EmService } from '../../services/em-service.js'
import { callerOf } from '../caller.js'
import { ERROR_RESPONSES } from '../responses.js'

const users: FastifyPluginAsyncTypebox<{ em: EmService }> = async (fastify, { em }) => {
  fastify.get('/api/users/:userId/devices', {
    config: { role: 'viewer' },
    schema: { tags: ['users'], summary: 'The devices a user is logged in to', params: UserParamsSchema, response: { 200: UserDevicesSchema, ...ERROR_RESPONSES } }
  }, async (request) => await em.userDevices(callerOf(request), request.params.userId))

  fastify.get('/api/users/:userId/device-profiles', {
    config: { role: 'viewer' },
    schema: { tags: ['users'], summary: 'The device profiles of a user', params: UserParamsSchema, response: { 200: UserDeviceProfilesSchema, ...ERROR_RESPONSES } }
  }, async (request) => await em.userProfiles(callerOf(request), request.params.userId))

  fastify.post('/api/users/:userId/logout', {
    config: { role: 'operator' },
    schema: { tags: ['users'], summary: 'Log a user out of every device they are on', params: UserParamsSchema, response: { 200: UserLogoutResultSchema, ...ERROR_RESPONSES } }
  }, async (request) => await em.logoutUser(callerOf(request), request.params.userId))
}

export default users
