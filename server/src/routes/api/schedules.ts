import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  ErrorBodySchema, ScheduleCreateBodySchema, ScheduleDeleteQuerySchema, ScheduleIdParamsSchema, ScheduleListSchema, SchedulePreviewQuerySchema,
  SchedulePreviewSchema, ScheduleRunNowBodySchema, ScheduleRunResultSchema, ScheduleSchema, ScheduleUpdateBodySchema
} from '@em-console/shared/schemas'
import { Type } from 'typebox'
import type { ScheduleService } from '../../schedules/schedule-service.js'
import { found as foundOr } from '../../services/errors.js'
import { callerOf } from '../caller.js'
import { ERROR_RESPONSES } from '../responses.js'

const CRON_HELP = 'An invalid cron expression or time zone is answered 400 with `field` set to "cron" or "timezone".'

function found<T> (value: T | undefined, id: number): T {
  return foundOr(value, `No schedule ${id}.`, 'Reload the schedule list.')
}

const schedules: FastifyPluginAsyncTypebox<{ schedules: ScheduleService }> = async (fastify, { schedules }) => {
  fastify.get('/api/schedules', {
    config: { role: 'viewer' },
    schema: { tags: ['schedules'], summary: 'Every schedule, with its last run and next five fire times', response: { 200: ScheduleListSchema } }
  }, async () => ({ schedules: schedules.list() }))

  fastify.get('/api/schedules/preview', {
    config: { role: 'viewer' },
    schema: {
      tags: ['schedules'],
      summary: 'The next five fire times of a cron expression, before it is saved',
      description: CRON_HELP,
      querystring: SchedulePreviewQuerySchema,
      response: { 200: SchedulePreviewSchema, 400: ErrorBodySchema }
    }
  }, async (request) => schedules.preview(request.query.cron, request.query.timezone, request.query.clusters?.split(',').filter((id) => id !== '')))

  fastify.post('/api/schedules', {
    config: { role: 'admin' },
    schema: {
      tags: ['schedules'],
      summary: 'Create a schedule',
      description: `Without a time zone: that of the clusters it names when they share one, else SCHEDULE_TIMEZONE (else the server's). ${CRON_HELP} A taken name is 409.`,
      body: ScheduleCreateBodySchema,
      response: { 201: ScheduleSchema, 400: ErrorBodySchema, 409: ErrorBodySchema }
    }
  }, async (request, reply) => {
    const created = await schedules.create(callerOf(request), request.body)
    return await reply.code(201).header('location', `/api/schedules/${created.id}`).send(created)
  })

  fastify.get('/api/schedules/:id', {
    config: { role: 'viewer' },
    schema: { tags: ['schedules'], summary: 'One schedule', params: ScheduleIdParamsSchema, response: { 200: ScheduleSchema, 404: ErrorBodySchema } }
  }, async (request) => found(schedules.get(request.params.id), request.params.id))

  fastify.patch('/api/schedules/:id', {
    config: { role: 'admin' },
    schema: {
      tags: ['schedules'],
      summary: 'Change a schedule (any of name, cron, timezone, action, list, hours, pools, clusters, enabled)',
      description: `${CRON_HELP} A schedule made from LOGOUT_ALL_SCHEDULE is set back from the configuration at the next start.`,
      params: ScheduleIdParamsSchema,
      body: ScheduleUpdateBodySchema,
      response: { 200: ScheduleSchema, 400: ErrorBodySchema, 404: ErrorBodySchema, 409: ErrorBodySchema }
    }
  }, async (request) => found(await schedules.update(callerOf(request), request.params.id, request.body), request.params.id))

  fastify.delete('/api/schedules/:id', {
    config: { role: 'admin' },
    schema: {
      tags: ['schedules'],
      summary: 'Delete a schedule',
      description: 'With ?updatedAt= (the one read), a change saved since refuses the delete: 409 CHANGED_SINCE_READ, naming who saved it and when.',
      params: ScheduleIdParamsSchema,
      querystring: ScheduleDeleteQuerySchema,
      response: { 204: Type.Null(), 404: ErrorBodySchema, 409: ErrorBodySchema }
    }
  }, async (request, reply) => {
    found(await schedules.delete(callerOf(request), request.params.id, request.query.updatedAt) ? true : undefined, request.params.id)
    return await reply.code(204).send(null)
  })

  fastify.post('/api/schedules/:id/run-now', {
    // A schedule that is not cluster-wide needs no words.
    config: { role: 'operator', optionalBody: true },
    schema: {
      tags: ['schedules'],
      summary: "Run a schedule's action now",
      description: 'Audited as the caller, not as the schedule. A logout-all schedule needs the body { "confirm": "LOG OUT ALL" } (400 naming confirm otherwise), as POST /api/logout-all does. With updatedAt (the one read), a schedule changed since is not run: 409 CHANGED_SINCE_READ, naming who saved it and when. Single-flight with every other logout-all: 409 while one runs; and with the runs of the same schedule: 409 SCHEDULE_RUNNING while its timed run or another run-now of it goes. EMAPI failures answer like POST /api/logout-all, and are recorded as the last run.',
      params: ScheduleIdParamsSchema,
      body: ScheduleRunNowBodySchema,
      response: { 200: ScheduleRunResultSchema, ...ERROR_RESPONSES }
    }
  }, async (request) => found(await schedules.runNow(callerOf(request), request.params.id, request.body.confirm, request.body.updatedAt), request.params.id))
}

export default schedules
