import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AuditFilterSchema, AuditIdParamsSchema, AuditPageSchema, AuditQuerySchema, AuditRecordSchema, AuditStatsSchema, ErrorBodySchema, type AuditSummary } from '@em-console/shared/schemas'
import { Type } from 'typebox'
import { BadRequestError, found } from '../../services/errors.js'
import type { Store } from '../../store/store.js'

const CSV_COLUMNS: Array<[string, (r: AuditSummary) => string | number | null]> = [
  ['id', (r) => r.id],
  ['started_at', (r) => r.startedAt],
  ['finished_at', (r) => r.finishedAt],
  ['duration_ms', (r) => r.durationMs],
  ['actor', (r) => r.actor],
  ['client_ip', (r) => r.clientIp],
  ['trigger', (r) => r.trigger],
  ['action', (r) => r.action],
  ['devices', (r) => r.devices.join(' ')],
  ['user_id', (r) => r.userId],
  ['outcome', (r) => r.outcome],
  ['emapi_code', (r) => r.emapiCode],
  ['error_code', (r) => r.errorCode],
  ['message', (r) => r.message],
  ['http_status', (r) => r.httpStatus],
  ['run_id', (r) => r.runId],
  ['cluster', (r) => r.cluster]
]

/**
 * One CSV field. Text that a spreadsheet would run as a formula gets a leading apostrophe
 * (CSV injection: user IDs and CUCM messages come from outside).
 */
export function csvField (value: string | number | null): string {
  if (value === null) return ''
  if (typeof value === 'number') return String(value)
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function csvLine (values: ReadonlyArray<string | number | null>): string {
  return values.map(csvField).join(',') + '\r\n'
}

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
    return audit.page(filter, limit ?? 50, cursor)
  })

  fastify.get('/api/audit/stats', {
    config: { role: 'viewer' },
    schema: { tags: ['audit'], summary: 'Actions per day and today\'s counts', querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })) }), response: { 200: AuditStatsSchema } }
  }, async (request) => audit.stats(request.query.days ?? 30))

  fastify.get('/api/audit/export.csv', {
    config: { role: 'viewer' },
    schema: { tags: ['audit'], summary: 'The filtered audit trail as CSV, streamed', querystring: AuditFilterSchema, produces: ['text/csv'] }
  }, async (request, reply) => {
    checkRange(request.query.from, request.query.to)
    // Small batches and a byte-sized buffer: a million rows stream through a few hundred KB.
    const batches = audit.iterate(request.query, 250)
    const lines = (function * () {
      yield '\uFEFF' + csvLine(CSV_COLUMNS.map(([name]) => name))
      for (const batch of batches) yield batch.map((r) => csvLine(CSV_COLUMNS.map(([, get]) => get(r)))).join('')
    })()
    return await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="em-console-audit-${new Date().toISOString().slice(0, 10)}.csv"`)
      .send(Readable.from(lines, { objectMode: false, highWaterMark: 64 * 1024 }))
  })

  fastify.get('/api/audit/:id', {
    config: { role: 'viewer' },
    schema: { tags: ['audit'], summary: 'One audit record in full (request XML with the password masked, the answer)', params: AuditIdParamsSchema, response: { 200: AuditRecordSchema, 404: ErrorBodySchema } }
  }, async (request) => found(audit.get(request.params.id), `No audit record ${request.params.id}.`))
}

export default audit
