import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  ActionResultSchema, DeviceParamsSchema, DeviceStatusBodySchema, DeviceStatusListSchema,
  DeviceStatusQuerySchema, DeviceStatusSchema, LoginBodySchema, MAX_STATUS_NAMES
} from '@em-console/shared/schemas'
import { deviceNameProblem } from '@em-console/shared/emapi'
import type { InventoryService } from '../../inventory/inventory-service.js'
import type { EmService } from '../../services/em-service.js'
import { BadRequestError } from '../../services/errors.js'
import { callerOf } from '../caller.js'
import { ERROR_RESPONSES } from '../responses.js'

/** `?names=A,B` → the list, each checked like a path parameter. */
function parseNames (names: string): string[] {
  const list = names.split(/[\s,;]+/).filter((n) => n !== '')
  if (list.length === 0) throw new BadRequestError('names', 'Invalid querystring field "names": give at least one device name.')
  if (list.length > MAX_STATUS_NAMES) throw new BadRequestError('names', `Invalid querystring field "names": at most ${MAX_STATUS_NAMES} device names per request.`)
  const problem = list.map(deviceNameProblem).find((p) => p !== undefined)
  if (problem !== undefined) throw new BadRequestError('names', `Invalid querystring field "names": ${problem}.`)
  return list
}

const devices: FastifyPluginAsyncTypebox<{ em: EmService, inventory: InventoryService }> = async (fastify, { em, inventory }) => {
  // Login time, profile, pool, model and EM flag from the AXL inventory, when it knows the device.
  const withInventory = <T extends { deviceName: string }>(status: T): T => ({ ...status, ...inventory.deviceFields(status.deviceName) })

  fastify.get('/api/devices/status', {
    config: { role: 'viewer' },
    schema: { tags: ['devices'], summary: 'Who is logged in on these devices', querystring: DeviceStatusQuerySchema, response: { 200: DeviceStatusListSchema, ...ERROR_RESPONSES } }
  }, async (request) => ({ devices: (await em.deviceStatus(callerOf(request), parseNames(request.query.names))).map(withInventory) }))

  fastify.post('/api/devices/status', {
    config: { role: 'viewer' },
    schema: { tags: ['devices'], summary: `Who is logged in on these devices (up to ${MAX_STATUS_NAMES})`, body: DeviceStatusBodySchema, response: { 200: DeviceStatusListSchema, ...ERROR_RESPONSES } }
  }, async (request) => ({ devices: (await em.deviceStatus(callerOf(request), request.body.names)).map(withInventory) }))

  fastify.get('/api/devices/:name', {
    config: { role: 'viewer' },
    schema: { tags: ['devices'], summary: 'Who is logged in on one device', params: DeviceParamsSchema, response: { 200: DeviceStatusSchema, ...ERROR_RESPONSES } }
  }, async (request) => {
    const [status] = await em.deviceStatus(callerOf(request), [request.params.name])
    return withInventory(status ?? { deviceName: request.params.name, exists: false, currentUser: null, lastUser: null, emcc: null })
  })

  fastify.post('/api/devices/:name/logout', {
    config: { role: 'operator' },
    schema: {
      tags: ['devices'],
      summary: 'Log out whoever is on the device',
      description: 'EMAPI code 19 (nobody logged in) is reported as outcome "already-logged-out" with HTTP 200.',
      params: DeviceParamsSchema,
      response: { 200: ActionResultSchema, ...ERROR_RESPONSES }
    }
  }, async (request) => {
    // A look-up first, so the audit trail records whom the logout removed (EMAPI's logout names only the device).
    const caller = callerOf(request)
    const [status] = await em.deviceStatus(caller, [request.params.name])
    return await em.logoutDevice(caller, request.params.name, { userId: status?.currentUser })
  })

  fastify.post('/api/devices/:name/login', {
    config: { role: 'operator' },
    schema: {
      tags: ['devices'],
      summary: 'Log a user in on the device',
      description: 'With force, whoever is on the device is logged out first.',
      params: DeviceParamsSchema,
      body: LoginBodySchema,
      response: { 200: ActionResultSchema, ...ERROR_RESPONSES }
    }
  }, async (request) => {
    if (request.body.indefinite === true && request.body.durationMinutes !== undefined) {
      throw new BadRequestError('durationMinutes', 'Invalid body field "durationMinutes": give a duration or indefinite, not both.')
    }
    return await em.loginDevice(callerOf(request), request.params.name, request.body)
  })
}

export default devices
