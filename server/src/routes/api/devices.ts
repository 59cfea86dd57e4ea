import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  ActionResultSchema, ClusterQuerySchema, DeviceParamsSchema, DeviceReportSchema, DeviceStatusBodySchema, DeviceStatusListSchema,
  DeviceStatusQuerySchema, ErrorBodySchema, LoginBodySchema, MAX_STATUS_NAMES
} from '@em-console/shared/schemas'
import { Type } from 'typebox'
import { deviceNameProblem } from '@em-console/shared/emapi'
import type { ClusterActions } from '../../clusters/cluster-actions.js'
import { withUnavailable } from '../../http-errors.js'
import { BadRequestError, refuseBothDurations } from '../../services/errors.js'
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
  actions: ClusterActions
}

const FACTS_HELP = 'Besides the look-up: emEnabled (false when CUCM answered code 22 or 5 to the latest login or logout of the device; null when unknown), and loginTime, profile, devicePool, model (null until the inventory knows them).'
const CLUSTER_HELP = 'Without ?cluster= every enabled cluster is asked in parallel; each answer names its `cluster` (null when the device is on none; a name on several clusters has one entry per cluster). A cluster that cannot be asked is named in `unavailable` with why, and the others\' answers still come (a device with cluster null may then be on it); when none can be asked, the answer is the error.'
const CHANGE_HELP = 'Without ?cluster= it acts on the cluster where a look-up finds the device: 404 when on none, 409 (CLUSTER_AMBIGUOUS) naming the clusters when on several.'

const devices: FastifyPluginAsyncTypebox<DeviceRoutesOptions> = async (fastify, { actions }) => {
  fastify.get('/api/devices/status', {
    config: { role: 'viewer' },
    schema: { tags: ['devices'], summary: 'Who is logged in on these devices', description: `${FACTS_HELP} ${CLUSTER_HELP} A URL and headers past 16 KiB (~700 names) are refused 431: send more names with POST.`, querystring: Type.Object({ ...DeviceStatusQuerySchema.properties, ...ClusterQuerySchema.properties }, { additionalProperties: false }), response: { 200: DeviceStatusListSchema, ...ERROR_RESPONSES, 431: ErrorBodySchema } }
  }, async (request) => withUnavailable(await actions.deviceReports(callerOf(request), parseNames(request.query.names), request.query.cluster)))

  fastify.post('/api/devices/status', {
    config: { role: 'viewer' },
    schema: { tags: ['devices'], summary: `Who is logged in on these devices (up to ${MAX_STATUS_NAMES})`, description: `${FACTS_HELP} ${CLUSTER_HELP}`, querystring: ClusterQuerySchema, body: DeviceStatusBodySchema, response: { 200: DeviceStatusListSchema, ...ERROR_RESPONSES } }
  }, async (request) => withUnavailable(await actions.deviceReports(callerOf(request), request.body.names, request.query.cluster)))

  fastify.get('/api/devices/:name', {
    config: { role: 'viewer' },
    schema: { tags: ['devices'], summary: 'Who is logged in on one device', description: `${FACTS_HELP} Without ?cluster= every enabled cluster is asked: the answer is the first cluster (in the order of GET /api/clusters) where the device is.`, params: DeviceParamsSchema, querystring: ClusterQuerySchema, response: { 200: DeviceReportSchema, ...ERROR_RESPONSES } }
  }, async (request) => {
    const { devices: [report], unavailable: [failed] } = await actions.deviceReports(callerOf(request), [request.params.name], request.query.cluster)
    // On none of the clusters that answered: it may be on one that did not.
    if (report?.cluster === null && failed !== undefined) throw failed
    return report
  })

  fastify.post('/api/devices/:name/logout', {
    config: { role: 'operator' },
    schema: {
      tags: ['devices'],
      summary: 'Log out whoever is on the device',
      description: `EMAPI code 19 (nobody logged in) is reported as outcome "already-logged-out" with HTTP 200. ${CHANGE_HELP}`,
      params: DeviceParamsSchema,
      querystring: ClusterQuerySchema,
      response: { 200: ActionResultSchema, ...ERROR_RESPONSES }
    }
  }, async (request) => await actions.logoutDevice(callerOf(request), request.params.name, request.query.cluster))

  fastify.post('/api/devices/:name/login', {
    config: { role: 'operator' },
    schema: {
      tags: ['devices'],
      summary: 'Log a user in on the device',
      description: `With force, whoever is on the device is logged out first. ${CHANGE_HELP}`,
      params: DeviceParamsSchema,
      querystring: ClusterQuerySchema,
      body: LoginBodySchema,
      response: { 200: ActionResultSchema, ...ERROR_RESPONSES }
    }
  }, async (request) => {
    refuseBothDurations(request.body)
    return await actions.loginDevice(callerOf(request), request.params.name, request.body, request.query.cluster)
  })
}

export default devices
