import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorBodySchema, SettingsSchema } from '@em-console/shared/schemas'
import type { SettingsService } from '../../runs/settings-service.js'
import { callerOf } from '../caller.js'

const settings: FastifyPluginAsyncTypebox<{ settings: SettingsService }> = async (fastify, { settings }) => {
  fastify.get('/api/settings', {
    config: { role: 'viewer' },
    schema: { tags: ['settings'], summary: 'The exemption list and the per-device logout list', response: { 200: SettingsSchema } }
  }, async () => settings.get())

  fastify.put('/api/settings', {
    config: { role: 'admin' },
    schema: { tags: ['settings'], summary: 'Replace the exemption list and the per-device logout list', body: SettingsSchema, response: { 200: SettingsSchema, 400: ErrorBodySchema } }
  }, async (request) => settings.update(callerOf(request), request.body))
}

export default settings
