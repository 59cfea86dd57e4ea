import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  ErrorBodySchema, InventoryRefreshQuerySchema, InventoryStatusSchema, PhonePageSchema, PhonesQuerySchema, SessionHistoryFiltersSchema, SessionHistoryPageSchema,
  SessionHistoryQuerySchema, SessionPageSchema, SessionsExportQuerySchema, SessionsQuerySchema, SessionSummaryQuerySchema, SessionSummarySchema,
  type EndedSession, type LiveSession
} from '@em-console/shared/schemas'
import { withUtcColumns } from '@em-console/shared/rules'
import type { InventoryService } from '../../inventory/inventory-service.js'
import { sendCsvExport, type CsvColumn } from '../csv-export.js'
import { CSV_ANSWER, textAnswer } from '../responses.js'

/** The times again in `*_utc` columns that spreadsheets read as dates (withUtcColumns). */
const CSV_COLUMNS: Array<CsvColumn<LiveSession>> = withUtcColumns<[LiveSession]>([
  ['cluster', (s) => s.cluster],
  ['device', (s) => s.deviceName],
  ['user_id', (s) => s.userId],
  ['profile', (s) => s.profile],
  ['login_time', (s) => s.loginTime],
  ['auto_logout_at', (s) => s.autoLogoutAt],
  ['device_pool', (s) => s.devicePool],
  ['model', (s) => s.model],
  ['description', (s) => s.description]
], ['login_time', 'auto_logout_at'])

const HISTORY_CSV_COLUMNS: Array<CsvColumn<EndedSession>> = withUtcColumns<[EndedSession]>([
  ['cluster', (s) => s.cluster],
  ['device', (s) => s.deviceName],
  ['user_id', (s) => s.userId],
  ['profile', (s) => s.profile],
  ['login_time', (s) => s.loginTime],
  ['ended_at', (s) => s.endedAt],
  ['duration_seconds', (s) => s.durationSeconds],
  ['ended_by', (s) => s.endedBy],
  ['actor', (s) => s.actor],
  ['audit_id', (s) => s.auditId],
  ['device_pool', (s) => s.devicePool],
  ['model', (s) => s.model],
  ['description', (s) => s.description]
], ['login_time', 'ended_at'])

const HISTORY_HELP = 'Kept SESSION_HISTORY_DAYS. endedBy: em-console (an EM Console logout, with who did it), auto-logout (CUCM\'s maximum duration), replaced (another login on the phone), not-seen (gone at a refresh).'

const AS_OF = 'Read from the inventory in SQLite (never live from AXL); `asOf` says when each cluster\'s inventory was read.'

/** The inventory, live sessions, their history and the phones (issue #18). */
const inventory: FastifyPluginAsyncTypebox<{ inventory: InventoryService }> = async (fastify, { inventory }) => {
  fastify.get('/api/inventory', {
    config: { role: 'viewer' },
    schema: {
      tags: ['inventory'],
      summary: 'The inventory of each cluster: state, as of when, counts, the last error with what to do, the last refresh\'s duration',
      response: { 200: InventoryStatusSchema }
    }
  }, async () => inventory.status())

  fastify.post('/api/inventory/refresh', {
    config: { role: 'operator' },
    schema: {
      tags: ['inventory'],
      summary: 'Refresh the inventory of one cluster (?cluster=) or of all, from AXL',
      description: 'Answers 202 at once, or with wait=true 200 once the refresh ended; the body is the inventory of the clusters refreshed. A failed refresh keeps the last good inventory: the body says "stale" with the error.',
      querystring: InventoryRefreshQuerySchema,
      response: { 200: InventoryStatusSchema, 202: InventoryStatusSchema, 400: ErrorBodySchema }
    }
  }, async (request, reply) => {
    const wait = request.query.wait === true
    const status = await inventory.refresh(request.query.cluster, wait)
    return await reply.code(wait ? 200 : 202).send(status)
  })

  fastify.get('/api/sessions', {
    config: { role: 'viewer' },
    schema: {
      tags: ['sessions'],
      summary: 'Who is logged in now, with filters, sort and keyset paging',
      description: `${AS_OF} Sort loginTime (default, oldest first), device, user, devicePool, model, profile, autoLogoutAt or description; order asc (default) or desc.`,
      querystring: SessionsQuerySchema,
      response: { 200: SessionPageSchema, 400: ErrorBodySchema }
    }
  }, async (request) => inventory.sessions(request.query))

  fastify.get('/api/sessions/summary', {
    config: { role: 'viewer' },
    schema: {
      tags: ['sessions'],
      summary: 'Sessions per cluster and device pool, the oldest session, and a histogram of session ages',
      description: AS_OF,
      querystring: SessionSummaryQuerySchema,
      response: { 200: SessionSummarySchema, 400: ErrorBodySchema }
    }
  }, async (request) => inventory.summary(request.query))

  fastify.get('/api/sessions/export.csv', {
    config: { role: 'viewer' },
    schema: { tags: ['sessions'], summary: 'The filtered sessions as CSV, streamed', description: AS_OF, querystring: SessionsExportQuerySchema, response: { 200: textAnswer('text/csv', `${CSV_ANSWER} One row per session.`) } }
  }, async (request, reply) => await sendCsvExport(request, reply, 'sessions', CSV_COLUMNS, inventory.exportSessions(request.query)))

  fastify.get('/api/sessions/history', {
    config: { role: 'viewer' },
    schema: {
      tags: ['sessions'],
      summary: 'Sessions that ended: who, where, from when to when, and how it ended; the latest end first',
      description: HISTORY_HELP,
      querystring: SessionHistoryQuerySchema,
      response: { 200: SessionHistoryPageSchema, 400: ErrorBodySchema }
    }
  }, async (request) => inventory.history(request.query))

  fastify.get('/api/sessions/history.csv', {
    config: { role: 'viewer' },
    schema: { tags: ['sessions'], summary: 'The filtered ended sessions as CSV, streamed, the latest end first', description: HISTORY_HELP, querystring: SessionHistoryFiltersSchema, response: { 200: textAnswer('text/csv', `${CSV_ANSWER} One row per ended session.`) } }
  }, async (request, reply) => await sendCsvExport(request, reply, 'ended-sessions', HISTORY_CSV_COLUMNS, inventory.exportHistory(request.query)))

  fastify.get('/api/phones', {
    config: { role: 'viewer' },
    schema: {
      tags: ['inventory'],
      summary: 'The phones of the inventory, with who is logged in on each; filters and keyset paging',
      description: AS_OF,
      querystring: PhonesQuerySchema,
      response: { 200: PhonePageSchema, 400: ErrorBodySchema }
    }
  }, async (request) => inventory.phones(request.query))
}

export default inventory
