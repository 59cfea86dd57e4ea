import { once } from 'node:events'
import type { ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { csvLine } from '@em-console/shared/rules'
import type { FastifyReply, FastifyRequest } from 'fastify'

/** A CSV column: its header and how a row gives its cell. */
export type CsvColumn<T> = readonly [string, (row: T) => string | number | null]

/** Resolves once what was written has left the response's buffer (or the response is gone). */
async function flushed (res: ServerResponse): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve))
  if (res.writableNeedDrain && !res.destroyed) await Promise.race([once(res, 'drain'), once(res, 'close')])
}

/**
 * The longest text an export hands its stream at once, in characters. A batch's text as one
 * string (250 audit records: ~120 KB) was allocated in V8's large-object space, which only a full
 * collection frees: the server's memory rose by ~6 MB over an export's first seconds
 * (bench:audit's slope, 4-6.6 MB of the 5 allowed; 0.6-0.9 MB in pieces). 16,384 characters
 * are 32 KB even for text that needs two bytes a character.
 */
export const TEXT_PIECE = 16_384

/** `lines` joined into texts of at most TEXT_PIECE characters, each a whole number of lines (a line longer than that alone). */
export function csvPieces (lines: readonly string[]): string[] {
  const pieces: string[] = []
  let from = 0
  let length = 0
  lines.forEach((line, i) => {
    if (length > 0 && length + line.length > TEXT_PIECE) {
      pieces.push(lines.slice(from, i).join(''))
      from = i
      length = 0
    }
    length += line.length
  })
  if (from < lines.length) pieces.push(lines.slice(from).join(''))
  return pieces
}

/**
 * Streams an export as CSV (the audit trail, the sessions): a BOM for spreadsheets, the header,
 * then each batch as it is read. The first batch is read before anything is sent, so a query that
 * fails at once is an ordinary error answer. A turn of the event loop after each batch: a client
 * that reads as fast as we write never pushes back, and the export would hold the server to its
 * last row. A read that fails mid-way ends the file with a line saying it is incomplete, then cuts
 * the transfer so a browser reports the download as failed (the 200 is already sent).
 *
 * A batch becomes text as soon as it is read: nothing keeps its rows while the export waits for
 * the client. Kept (the first batch held for the whole export, a batch held while a slow client
 * pushed back), a collection of the young generation found all of a batch's rows alive, and V8
 * then allocated every later row straight in the old generation ("allocation-site
 * pretenuring"): the server's memory rose by ~140 MB before each full collection (bench:audit).
 * The text is cut into pieces of at most TEXT_PIECE characters (see there).
 */
export async function sendCsvExport<T> (request: FastifyRequest, reply: FastifyReply, name: string, columns: ReadonlyArray<CsvColumn<T>>, batches: Iterator<T[]>): Promise<FastifyReply> {
  const nextTexts = (): string[] | undefined => {
    const next = batches.next()
    return next.done === true ? undefined : csvPieces(next.value.map((row) => csvLine(columns.map(([, cell]) => cell(row)))))
  }
  const first = nextTexts()
  const lines = (async function * () {
    yield '\uFEFF' + csvLine(columns.map(([header]) => header))
    if (first !== undefined) yield * first
    try {
      for (let texts = nextTexts(); texts !== undefined; texts = nextTexts()) {
        yield * texts
        await nextTurn()
      }
    } catch (error) {
      request.log.error({ err: error }, `The ${name} export failed mid-way: the file sent is incomplete.`)
      yield `# export failed: the ${name} could not be read to the end (see the server log). This file is incomplete.\r\n`
      await flushed(reply.raw)
      throw error
    }
  })()
  return await reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="em-console-${name}-${new Date().toISOString().slice(0, 10)}.csv"`)
    .send(Readable.from(lines, { objectMode: false, highWaterMark: 64 * 1024 }))
}
