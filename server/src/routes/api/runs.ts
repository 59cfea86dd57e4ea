import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorCodes } from 'fastify'
import {
  ErrorBodySchema, PreviewSchema, RetryBodySchema, RunBodySchema, RunCsvQuerySchema, RunItemsPageSchema, RunItemsQuerySchema, RunListQuerySchema, RunListSchema, RunParamsSchema,
  MAX_RUN_ITEMS, RunSchema, RunStartedSchema, RUN_ITEMS_PAGE, type CsvProblem, type RunBody, type RunProgressEvent
} from '@em-console/shared/schemas'
import { Type } from 'typebox'
import { decodeFile } from '@em-console/shared/rules'
import { Compile, type Validator } from 'typebox/compile'
import { CsvFileError, readRunCsv, TooManyRowsError } from '../../runs/csv.js'
import { runResultsCsv } from '../../runs/results-csv.js'
import { progressOfSummary, type RunInput, type RunService } from '../../runs/run-service.js'
import type { SettingsService } from '../../runs/settings-service.js'
import { validationError } from '../../http-errors.js'
import { MAX_CSV_BYTES } from '../../request-limits.js'
import { BadRequestError, found, refuseBothDurations, ServiceError } from '../../services/errors.js'
import { callerOf } from '../caller.js'
import { CSV_ANSWER, ERROR_RESPONSES, textAnswer } from '../responses.js'

export interface RunRoutesOptions {
  runs: RunService
  settings: SettingsService
  /** How often a live stream without events says it is alive (and asks whether its session is). */
  keepAliveMs?: number
}

/**
 * Under a minute: a proxy in front of the server cuts a connection idle that long (nginx's
 * default), and a run may send nothing for longer (its re-check is minutes after its end).
 */
const KEEP_ALIVE_MS = 25_000

/**
 * A run's body by its content type, each checked against its own schema: JSON, or a CSV file whose
 * rows ?action= says are for. One schema for both (a choice of JSON or text) named only JSON in the
 * API document, and took a JSON string for a CSV file.
 */
const BODY = {
  content: {
    'application/json': { schema: RunBodySchema },
    'text/csv': { schema: Type.String({ maxLength: MAX_CSV_BYTES, description: 'A CSV file, with ?action=logout (a column "device", or "Device Name" as CUCM exports write it) or ?action=login (device,user,profile,duration); a header row (its device and user columns found by name: "DEVICE NAME", "User ID"), a BOM, UTF-16 from Excel, semicolons or tabs, quotes and CRLF are fine; up to 5,000 rows' }) }
  }
}

/** A device list of Settings by its name, or the first without one. */
type SavedList = (name?: string) => { name: string, devices: string[] } | undefined

function readCsv (body: string, action: 'logout' | 'login'): ReturnType<typeof readRunCsv> {
  try {
    return readRunCsv(body, action)
  } catch (error) {
    if (error instanceof CsvFileError) throw new BadRequestError('body', error.message)
    throw error
  }
}

/**
 * Reads a CSV upload as it arrives and stops at the first line that shows it is too long: a file
 * of 100,000 rows is refused after about 10,000 lines, not read, decoded and validated whole
 * (which held the event loop ~150 ms). Quoted fields may hold line breaks, so the cut is twice the
 * row limit; the exact count is readRunCsv's.
 */
async function readCsvBody (payload: AsyncIterable<Buffer>, tooLarge: () => Error): Promise<string> {
  const parts: Buffer[] = []
  let lines = 0
  let bytes = 0
  for await (const chunk of payload) {
    bytes += chunk.length
    if (bytes > MAX_CSV_BYTES) throw tooLarge()
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++
    if (lines > 2 * MAX_RUN_ITEMS + 1) throw new BadRequestError('body', new TooManyRowsError(MAX_RUN_ITEMS).message)
    parts.push(chunk)
  }
  // Decoded whole, by its byte order mark: Excel's "Unicode Text" is UTF-16.
  return decodeFile(Buffer.concat(parts))
}

/**
 * A JSON body or a CSV upload, as the items of a run and the CSV rows that could not be used.
 * `savedList(name)`: that device list of Settings, or the first without a name.
 * `cluster` (the body's, or ?cluster= for a CSV): only that cluster is asked and acted on; for a
 * selection by sessions it is the sessions' cluster.
 */
function inputOf (body: RunBody | string, query: { action?: 'logout' | 'login', cluster?: string, file?: string }, savedList: SavedList): { input: RunInput, problems: CsvProblem[] } {
  const { input, problems } = itemsOf(body, query, savedList)
  const cluster = typeof body === 'string' ? query.cluster : body.cluster
  if (cluster === undefined) return { input, problems }
  if ('located' in input && input.located.some((l) => l.cluster?.toLowerCase() !== cluster.toLowerCase())) {
    throw new BadRequestError('cluster', `Invalid field "cluster": it says ${cluster} but the devices of "located" name other clusters; give one or the other.`)
  }
  if ('sessions' in input) {
    if (input.sessions.cluster !== undefined && input.sessions.cluster.toLowerCase() !== cluster.toLowerCase()) {
      throw new BadRequestError('cluster', `Invalid field "cluster": it says ${cluster} but the sessions' filters say ${input.sessions.cluster}; give one of them.`)
    }
    return { input: { ...input, sessions: { ...input.sessions, cluster } }, problems }
  }
  return { input: { ...input, clusters: [cluster] }, problems }
}

function itemsOf (body: RunBody | string, query: { action?: 'logout' | 'login', file?: string }, savedList: SavedList): { input: RunInput, problems: CsvProblem[] } {
  if (typeof body === 'string') {
    const csvAction = query.action
    if (csvAction === undefined) throw new BadRequestError('action', 'Invalid querystring field "action": say which action the CSV rows are for (?action=logout or ?action=login).')
    const { devices, items, problems } = readCsv(body, csvAction)
    const count = csvAction === 'logout' ? devices.length : items.length
    if (count === 0) throw new BadRequestError('body', `The CSV has no usable row: ${problems.map((p) => `line ${p.line}: ${p.message}`).slice(0, 5).join('; ')}`)
    const csv = { ...(query.file === undefined ? {} : { file: query.file }), ...(problems.length === 0 ? {} : { leftOut: problems.length }) }
    return { input: csvAction === 'logout' ? { action: 'logout', devices, csv } : { action: 'login', items, csv }, problems }
  }
  if (body.action === 'login') {
    body.items.forEach((item, i) => { refuseBothDurations(item, `items/${i}/durationMinutes`) })
    return { input: { action: 'login', items: body.items }, problems: [] }
  }
  if ('list' in body) {
    const list = savedList(body.list)
    if (list === undefined) throw new BadRequestError('list', `No device list is named "${body.list}": Settings shows the lists there are.`)
    if (list.devices.length === 0) throw new BadRequestError('list', `The device list "${body.list}" is empty: add devices to it in Settings first.`)
    return { input: { action: 'logout', devices: list.devices, list: list.name }, problems: [] }
  }
  if ('savedList' in body) {
    const list = savedList()
    if (list === undefined || list.devices.length === 0) throw new BadRequestError('savedList', 'The per-device logout list is empty: add devices to it in Settings first.')
    return { input: { action: 'logout', devices: list.devices, list: list.name }, problems: [] }
  }
  if ('sessions' in body) return { input: { action: 'logout', sessions: body.sessions }, problems: [] }
  if ('users' in body) return { input: { action: 'logout', users: body.users }, problems: [] }
  if ('located' in body) {
    // Each on its cluster: those clusters are the run's, and each must be one there is (400 naming cluster).
    const located = body.located.map((l) => ({ device: l.device, cluster: l.cluster, user: l.user ?? null }))
    return { input: { action: 'logout', located, clusters: [...new Set(located.map((l) => l.cluster.toLowerCase()))], ...(body.previewedFrom === undefined ? {} : { previewedFrom: body.previewedFrom }) }, problems: [] }
  }
  return { input: { action: 'logout', devices: body.devices }, problems: [] }
}

/** The run, or a not-found refusal. */
function known<T> (value: T | undefined, id: string): T {
  return found(value, `No run ${id}.`, 'Open Bulk runs to see the recent runs.')
}

/** The forms of a JSON run body, read from its schema: each action, and the field that gives its items. */
const RUN_FORMS = RunBodySchema.anyOf.map((form) => {
  let check: Validator | undefined
  // Compiled when first needed, as the routes' own validators are (start-up time, P5).
  return { action: form.properties.action.const, field: form.required.find((key) => key !== 'action') ?? '', check: () => (check ??= Compile(form)) }
})
const RUN_ACTIONS = [...new Set(RUN_FORMS.map((form) => form.action))]
const quoted = (names: readonly string[]): string => names.map((name) => `"${name}"`).join(', ')

/**
 * A JSON run body's form, checked before the schema, then the body against that form alone: the
 * schema is a choice of forms, and a validator that fails every form names only some of them
 * ("action must be one of "logout", "logout"", or "devices" missing while `users` was given).
 */
async function checkRunForm (request: { body: unknown, query: unknown }): Promise<void> {
  const body = request.body
  // A request without a body (or of no content type the route reads a body of) has nothing to run.
  if (body === undefined || body === null) throw new BadRequestError('body', 'The request needs a body: JSON (Content-Type: application/json) or a CSV file (Content-Type: text/csv, with ?action=).')
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return
  // The query is a CSV file's: a JSON run read none of it, so ?cluster=branch ran on every cluster.
  // (One it does not take at all is refused as unknown, after this.)
  const csvParameter = Object.keys(request.query ?? {}).find((name) => name in RunCsvQuerySchema.properties)
  if (csvParameter !== undefined) {
    throw new BadRequestError(csvParameter, `The query parameter "${csvParameter}" is for a CSV file (Content-Type: text/csv): ${csvParameter === 'file' ? 'a JSON body has no file name' : `a JSON body gives it as its field "${csvParameter}"`}.`)
  }
  const { action } = body as Record<string, unknown>
  const fields = RUN_FORMS.filter((form) => form.action === action).map((form) => form.field)
  if (fields.length === 0) {
    throw new BadRequestError('action', action === undefined ? `The body field "action" is required: ${RUN_ACTIONS.map((a) => `"${a}"`).join(' or ')}.` : `The body field "action" must be one of ${quoted(RUN_ACTIONS)}.`)
  }
  // An action of one form (login: items) is that form, its field given or not: the schema, a
  // choice of forms, named a logout's "devices" as missing for any mistake in a login's items.
  const given = fields.length === 1 ? fields : fields.filter((field) => field in body)
  const choices = `${quoted(fields.slice(0, -1))} or "${fields.at(-1) ?? ''}"`
  if (given.length === 0) throw new BadRequestError(fields[0] ?? 'action', `A ${String(action)} run needs one of the body fields ${choices}.`)
  if (given.length > 1) throw new BadRequestError(given[1] ?? 'action', `A ${String(action)} run takes one of the body fields ${choices}, not several (this one has ${given.map((f) => `"${f}"`).join(' and ')}).`)
  // Judged against the form it is, so a refusal names what is wrong in it (one bad user ID of
  // `users`), not a field of another form.
  const check = RUN_FORMS.find((form) => form.action === action && form.field === given[0])?.check()
  if (check !== undefined && !check.Check(body)) throw validationError(check.Errors(body))
}

const runs: FastifyPluginAsyncTypebox<RunRoutesOptions> = async (fastify, { runs, settings, keepAliveMs = KEEP_ALIVE_MS }) => {
  fastify.addContentTypeParser('text/csv', async (_request: unknown, payload: AsyncIterable<Buffer>) => await readCsvBody(payload, () => new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE()))
  const savedList: SavedList = (name) => settings.deviceList(name)

  fastify.post('/api/runs/preview', {
    config: { role: 'operator' },
    schema: {
      tags: ['runs'],
      summary: 'Look every device up and say what a run would do: log out, already empty, unknown, excluded, on several clusters',
      description: 'Devices are looked up on every usable cluster (or only on `cluster`); each item names its cluster. A device on several clusters is not run (category ambiguous): name the cluster. `sessions` selects from a fresh inventory (409 INVENTORY_NOT_CONFIGURED without AXL) and the answer has `asOf`. The query parameters are for a CSV body; a JSON body gives action, verifyAfterSeconds and cluster as its fields (a query parameter with it is a 400 naming it).',
      querystring: RunCsvQuerySchema,
      body: BODY,
      response: { 200: PreviewSchema, ...ERROR_RESPONSES }
    },
    preValidation: checkRunForm
  }, async (request) => {
    const { input, problems } = inputOf(request.body as RunBody | string, request.query, savedList)
    const list = 'list' in input ? input.list : undefined
    return { ...await runs.preview(callerOf(request), input), problems, ...(list === undefined ? {} : { list }) }
  })

  fastify.post('/api/runs', {
    config: { role: 'operator' },
    schema: {
      tags: ['runs'],
      summary: 'Start a bulk logout or login run (JSON or CSV); answers at once with its id',
      description: 'Each item goes to the cluster its look-up found it on (or only to `cluster`, ?cluster= for a CSV), through that cluster\'s own limiter (its maxConcurrency), so clusters run side by side; CUCM busy (26) is retried with backoff. A device on several clusters is not run. `sessions`: the sessions a fresh inventory selects, each re-checked with EMAPI before its logout. Bad CSV rows are reported by line and not run. The query parameters are for a CSV body; a JSON body gives action, verifyAfterSeconds and cluster as its fields (a query parameter with it is a 400 naming it).',
      querystring: RunCsvQuerySchema,
      body: BODY,
      response: { 202: RunStartedSchema, ...ERROR_RESPONSES }
    },
    preValidation: checkRunForm
  }, async (request, reply) => {
    const body = request.body as RunBody | string
    const { input, problems } = inputOf(body, request.query, savedList)
    const verify = typeof body === 'string' ? request.query.verifyAfterSeconds : body.verifyAfterSeconds
    const id = await runs.start(callerOf(request), input, verify === undefined ? {} : { verifyAfterMs: verify * 1000 })
    return await reply.code(202).header('location', `/api/runs/${id}`).send({ id, problems })
  })

  fastify.get('/api/runs', {
    config: { role: 'viewer' },
    schema: { tags: ['runs'], summary: 'The runs, the latest first, a page at a time (20 unless limit says)', querystring: RunListQuerySchema, response: { 200: RunListSchema } }
  }, async (request) => runs.page(request.query.limit ?? 20, request.query.before))

  fastify.get('/api/runs/:id', {
    config: { role: 'viewer' },
    schema: { tags: ['runs'], summary: `A run: state, counts per outcome and the first ${RUN_ITEMS_PAGE} items (GET .../items for the rest)`, params: RunParamsSchema, response: { 200: RunSchema, 404: ErrorBodySchema } }
  }, async (request) => known(runs.get(request.params.id), request.params.id))

  fastify.get('/api/runs/:id/items', {
    config: { role: 'viewer' },
    schema: {
      tags: ['runs'],
      summary: 'A page of a run\'s items in run order, optionally of one outcome (or "failed" / "rest")',
      params: RunParamsSchema,
      querystring: RunItemsQuerySchema,
      response: { 200: RunItemsPageSchema, 404: ErrorBodySchema }
    }
  }, async (request) => {
    known(runs.summary(request.params.id), request.params.id)
    return runs.items(request.params.id, request.query)
  })

  fastify.post('/api/runs/:id/cancel', {
    config: { role: 'operator' },
    schema: { tags: ['runs'], summary: 'Stop taking new items; those in flight finish', params: RunParamsSchema, response: { 202: Type.Object({ state: Type.String() }), 404: ErrorBodySchema, 409: ErrorBodySchema } }
  }, async (request, reply) => {
    const summary = known(runs.summary(request.params.id), request.params.id)
    if (!await runs.cancel(callerOf(request), request.params.id)) throw new ServiceError('conflict', 'RUN_FINISHED', `The run is ${summary.state}; there is nothing to cancel.`)
    return await reply.code(202).send({ state: 'cancelling' })
  })

  fastify.post('/api/runs/:id/retry', {
    // A request without a body retries the failed items.
    config: { role: 'operator', optionalBody: true },
    schema: {
      tags: ['runs'],
      summary: 'Start a new run, linked to this one, of its failed items (scope "failed", the default) or of the items it never reached (scope "rest")',
      params: RunParamsSchema,
      body: RetryBodySchema,
      response: { 202: RunStartedSchema, 404: ErrorBodySchema, 409: ErrorBodySchema }
    }
  }, async (request, reply) => {
    known(runs.summary(request.params.id), request.params.id)
    const scope = request.body.scope ?? 'failed'
    const id = await runs.retry(callerOf(request), request.params.id, scope)
    if (id === undefined) throw new ServiceError('conflict', 'NOTHING_TO_RETRY', scope === 'failed' ? 'No item of this run failed.' : 'The run reached every item: there is nothing left to run.')
    return await reply.code(202).header('location', `/api/runs/${id}`).send({ id, problems: [] })
  })

  fastify.get('/api/runs/:id/results.csv', {
    config: { role: 'viewer' },
    schema: { tags: ['runs'], summary: 'The items of a run as CSV', params: RunParamsSchema, response: { 200: textAnswer('text/csv', `${CSV_ANSWER} One row per item: display names, a cluster column, API values in *_key columns; a login's profile and duration last (a login run's failed rows are a login file again).`), 404: ErrorBodySchema } }
  }, async (request, reply) => {
    const run = known(runs.summary(request.params.id), request.params.id)
    return await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="em-console-run-${run.id.slice(0, 8)}.csv"`)
      .send(runResultsCsv(run, runs.allItems(run.id)))
  })

  fastify.get('/api/runs/:id/events', {
    config: { role: 'viewer' },
    schema: {
      tags: ['runs'],
      summary: 'Server-Sent Events: `progress` with state, counts and the item just finished; ends when the run does',
      params: RunParamsSchema,
      response: { 200: textAnswer('text/event-stream', 'Events named `progress`, each `data` a JSON object { state, total, counts, item? } (item: the run item just finished, as GET /api/runs/{id}/items gives it; a run of an em-console command sends its counts as they change, without items). The stream ends after the run\'s final state, or when the session that follows it ends; a `: keep-alive` comment comes every 25 s while no event does.'), 404: ErrorBodySchema }
    }
  }, async (request, reply) => {
    const summary = known(runs.summary(request.params.id), request.params.id)
    reply.hijack()
    const raw = reply.raw
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' })
    // Set once subscribed; the first event may already end the stream, before it is.
    const subscription: { stop?: () => void } = {}
    // While no event comes: a comment line (EventSource ignores it), and a session ended meanwhile ends the stream.
    const alive = setInterval(() => {
      if (!request.stillSignedIn()) end()
      else raw.write(': keep-alive\n\n')
    }, keepAliveMs).unref()
    // Ends the stream once: when the run is final, the client goes away, its session ends, or the server stops.
    const end = (): void => {
      clearInterval(alive)
      subscription.stop?.()
      if (!raw.writableEnded) raw.end()
    }
    const send = (event: RunProgressEvent): void => {
      if (raw.writableEnded) return
      // A session ended since (signed out, expired, its account disabled) is followed no further.
      if (!request.stillSignedIn()) {
        end()
        return
      }
      raw.write(`event: progress\ndata: ${JSON.stringify(event)}\n\n`)
      if (runs.isFinal(event.state) && event.item === undefined) end()
    }
    // A run of this process, or of an em-console command (its row read again every second).
    subscription.stop = runs.subscribe(request.params.id, send, end)
    if (subscription.stop === undefined) {
      send(progressOfSummary(summary))
      end()
      return
    }
    // Ended by its first event (a session ended meanwhile): stopped now that there is a stop to call.
    if (raw.writableEnded) end()
    raw.on('close', end)
  })
}

export default runs
