import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorBodySchema, SettingsSchema, SettingsUpdateSchema } from '@em-console/shared/schemas'
import type { SettingsService } from '../../runs/settings-service.js'
import { callerOf } from '../caller.js'

const settings: FastifyPluginAsyncTypebox<{ settings: SettingsService }> = async (fastify, { settings }) => {
  fastify.get('/api/settings', {
    config: { role: 'viewer' },
    schema: { tags: ['settings'], summary: 'The exemption list and the named device lists (logoutDeviceList: the first list, for older clients)', response: { 200: SettingsSchema } }
  }, async () => settings.get())

  fastify.put('/api/settings', {
    config: { role: 'admin' },
    schema: {
      tags: ['settings'],
      summary: 'Replace the exemption list and the named device lists',
      description: 'Two lists with one name (case-insensitively) are a 400 naming deviceLists.N.name. Without deviceLists the lists stay, except that an older client\'s logoutDeviceList replaces the devices of the first list. With the revision read, a save made since is a 409 CHANGED_SINCE_READ.',
      body: SettingsUpdateSchema,
      response: { 200: SettingsSchema, 400: ErrorBodySchema, 409: ErrorBodySchema }
    }
  }, async (request) => settings.update(callerOf(request), request.body))
}

export default settings
