import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AuditFilterSchema, AuditIdParamsSchema, ClusterIdSchema, AuditPageSchema, AuditQuerySchema, AuditRecordSchema, AuditStatsSchema, ErrorBodySchema, type AuditSummary } from '@em-console/shared/schemas'
import { TIMEZONE, timeZoneProblem } from '@em-console/shared/field-rules'
import { withUtcColumns } from '@em-console/shared/rules'
import { ACTION_LABELS, displayDeviceName, labelOf, OUTCOME_LABELS, TRIGGER_LABELS } from '@em-console/shared/display'
import { Type } from 'typebox'
import { decodeCursor } from '../../audit/audit-repository.js'
import { BadRequestError, badCursor, found } from '../../services/errors.js'
import type { Store } from '../../store/store.js'
import { sendCsvExport, type CsvColumn } from '../csv-export.js'
import { CSV_ANSWER, textAnswer } from '../responses.js'

/**
 * The columns of the export: names as the dashboard shows them (trigger "Web", action "Log out",
 * device names upper case: shared/src/display.ts), the API's values in `*_key` columns for scripts,
 * and the times again in `*_utc` columns that spreadsheets read as dates.
 */
const CSV_COLUMNS: Array<CsvColumn<AuditSummary>> = withUtcColumns<[AuditSummary]>([
  ['id', (r) => r.id],
  ['started_at', (r) => r.startedAt],
  ['finished_at', (r) => r.finishedAt],
  ['duration_ms', (r) => r.durationMs],
  ['actor', (r) => r.actor],
  ['client_ip', (r) => r.clientIp],
  ['trigger', (r) => labelOf(TRIGGER_LABELS, r.trigger)],
  ['trigger_key', (r) => r.trigger],
  ['action', (r) => labelOf(ACTION_LABELS, r.action)],
  ['action_key', (r) => r.action],
  ['devices', (r) => r.devices.map(displayDeviceName).join(' ')],
  ['user_id', (r) => r.userId],
  ['outcome', (r) => labelOf(OUTCOME_LABELS, r.outcome)],
  ['outcome_key', (r) => r.outcome],
  ['emapi_code', (r) => r.emapiCode],
  ['error_code', (r) => r.errorCode],
  ['message', (r) => r.message],
  ['http_status', (r) => r.httpStatus],
  ['run_id', (r) => r.runId],
  ['cluster', (r) => r.cluster]
], ['started_at', 'finished_at'])

function checkRange (from?: string, to?: string): void {
  if (from !== undefined && to !== undefined && Date.parse(from) > Date.parse(to)) {
    throw new BadRequestError('from', 'Invalid querystring field "from": it is after "to".')
  }
}

const audit: FastifyPluginAsyncTypebox<{ store: Store }> = async (fastify, { store }) => {
  const { audit } = store
  fastify.get('/api/audit', {
    config: { role: 'viewer' },
    schema: { tags: ['audit'], summary: 'The audit trail, newest first, with filters and keyset paging', querystring: AuditQuerySchema, response: { 200: AuditPageSchema, 400: ErrorBodySchema } }
  }, async (request) => {
    const { limit, cursor, ...filter } = request.query
    checkRange(filter.from, filter.to)
    // As the sessions' pages do: a cursor this server did not give is said, not read as "the first page".
    if (cursor !== undefined && decodeCursor(cursor) === undefined) throw badCursor()
    return audit.page(filter, limit ?? 50, cursor)
  })

  fastify.get('/api/audit/stats', {
    config: { role: 'viewer' },
    schema: {
      tags: ['audit'],
      summary: 'Actions per day and today\'s counts',
      description: 'With ?cluster= only the actions on that cluster (as History filtered by it); without, every cluster\'s. The days are those of `timezone` (UTC without); `today` is the last of them, or counts from `todayFrom` when given.',
      querystring: Type.Object({
        days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
        cluster: Type.Optional(ClusterIdSchema),
        timezone: Type.Optional(Type.String({ minLength: 1, maxLength: TIMEZONE.maxLength, description: 'The IANA time zone whose days are counted (the browser\'s, as History\'s days are), e.g. "Australia/Sydney"; default UTC' })),
        todayFrom: Type.Optional(Type.String({ format: 'date-time', description: 'The start of the caller\'s today (the browser\'s midnight); default the start of the last day counted; at the earliest the first day counted' }))
      }, { additionalProperties: false }),
      response: { 200: AuditStatsSchema, 400: ErrorBodySchema }
    }
  }, async (request) => {
    const { days, timezone, ...scope } = request.query
    const zoneProblem = timezone === undefined ? undefined : timeZoneProblem(timezone)
    if (zoneProblem !== undefined) throw new BadRequestError('timezone', `Invalid querystring field "timezone": ${zoneProblem}`)
    return audit.stats(days ?? 30, { ...scope, timezone })
  })

  fastify.get('/api/audit/export.csv', {
    config: { role: 'viewer' },
    schema: { tags: ['audit'], summary: 'The filtered audit trail as CSV, streamed', querystring: AuditFilterSchema, response: { 200: textAnswer('text/csv', `${CSV_ANSWER} One row per record, newest first.`) } }
  }, async (request, reply) => {
    checkRange(request.query.from, request.query.to)
    // Small batches: a million rows stream through a few hundred KB.
    return await sendCsvExport(request, reply, 'audit', CSV_COLUMNS, audit.iterate(request.query, 250))
  })

  fastify.get('/api/audit/:id', {
    config: { role: 'viewer' },
    schema: { tags: ['audit'], summary: 'One audit record in full (request XML with the password masked, the answer)', params: AuditIdParamsSchema, response: { 200: AuditRecordSchema, 404: ErrorBodySchema } }
  }, async (request) => found(audit.get(request.params.id), `No audit record ${request.params.id}.`))
}

export default audit
