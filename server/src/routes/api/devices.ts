import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  ActionResultSchema, DeviceParamsSchema, DeviceReportSchema, DeviceStatusBodySchema, DeviceStatusListSchema,
  DeviceStatusQuerySchema, LoginBodySchema, MAX_STATUS_NAMES
} from '@em-console/shared/schemas'
import { deviceNameProblem } from '@em-console/shared/emapi'
import type { DeviceFacts } from '../../services/device-facts.js'
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

export interface DeviceRoutesOptions {
  em: EmService
  facts: DeviceFacts
}

const FACTS_HELP = 'Besides the look-up: emEnabled (false when CUCM answered code 22 or 5 to the latest login or logout of the device; null when unknown), and loginTime, profile, devicePool, model (null until the inventory knows them).'

const devices: FastifyPluginAsyncTypebox<DeviceRoutesOptions> = async (fastify, { em, facts }) => {
  fastify.get('/api/devices/status', {
    config: { role: 'viewer' },
    schema: { tags: ['devices'], summary: 'Who is logged in on these devices', description: FACTS_HELP, querystring: DeviceStatusQuerySchema, response: { 200: DeviceStatusListSchema, ...ERROR_RESPONSES } }
  }, async (request) => ({ devices: facts.of(await em.deviceStatus(callerOf(request), parseNames(request.query.names))) }))

  fastify.post('/api/devices/status', {
    config: { role: 'viewer' },
    schema: { tags: ['devices'], summary: `Who is logged in on these devices (up to ${MAX_STATUS_NAMES})`, description: FACTS_HELP, body: DeviceStatusBodySchema, response: { 200: DeviceStatusListSchema, ...ERROR_RESPONSES } }
  }, async (request) => ({ devices: facts.of(await em.deviceStatus(callerOf(request), request.body.names)) }))

  fastify.get('/api/devices/:name', {
    config: { role: 'viewer' },
    schema: { tags: ['devices'], summary: 'Who is logged in on one device', description: FACTS_HELP, params: DeviceParamsSchema, response: { 200: DeviceReportSchema, ...ERROR_RESPONSES } }
  }, async (request) => {
    const [status] = await em.deviceStatus(callerOf(request), [request.params.name])
    const [report] = facts.of([status ?? { deviceName: request.params.name, exists: false, currentUser: null, lastUser: null, emcc: null }])
    return report
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
