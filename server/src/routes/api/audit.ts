import { once } from 'node:events'
import type { ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AuditFilterSchema, AuditIdParamsSchema, AuditPageSchema, AuditQuerySchema, AuditRecordSchema, AuditStatsSchema, ErrorBodySchema, type AuditSummary } from '@em-console/shared/schemas'
import { ACTION_LABELS, displayDeviceName, labelOf, OUTCOME_LABELS, TRIGGER_LABELS } from '@em-console/shared/display'
import { Type } from 'typebox'
import { csvLine } from '@em-console/shared/rules'
import { BadRequestError, found } from '../../services/errors.js'
import type { Store } from '../../store/store.js'

/**
 * The columns of the export: names as the dashboard shows them (trigger "Web", action "Log out",
 * device names upper case: shared/src/display.ts), and the API's values in `*_key` columns for scripts.
 */
const CSV_COLUMNS: Array<[string, (r: AuditSummary) => string | number | null]> = [
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
]

/** Resolves once what was written has left the response's buffer (or the response is gone). */
async function flushed (res: ServerResponse): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve))
  if (res.writableNeedDrain && !res.destroyed) await Promise.race([once(res, 'drain'), once(res, 'close')])
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
    // Read before anything is sent, so a query that fails at once is an ordinary error answer.
    const first = batches.next()
    const rowsOf = (batch: AuditSummary[]): string => batch.map((r) => csvLine(CSV_COLUMNS.map(([, get]) => get(r)))).join('')
    const lines = (async function * () {
      yield '\uFEFF' + csvLine(CSV_COLUMNS.map(([name]) => name))
      if (first.done !== true) yield rowsOf(first.value)
      try {
        for (const batch of batches) {
          yield rowsOf(batch)
          // A client that reads as fast as we write never pushes back, so without a turn of the
          // event loop between batches the export would hold the server to its last row.
          await nextTurn()
        }
      } catch (error) {
        request.log.error({ err: error }, 'The audit export failed mid-way: the file sent is incomplete.')
        // The last line says so to whoever opens the file; the cut transfer that follows makes a
        // browser report the download as failed (the 200 is already sent).
        yield '# export failed: the history could not be read to the end (see the server log). This file is incomplete.\r\n'
        await flushed(reply.raw)
        throw error
      }
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
