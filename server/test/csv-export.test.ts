import assert from 'node:assert/strict'
import { get, type IncomingMessage } from 'node:http'
import { after, before, test } from 'node:test'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import Fastify, { type FastifyInstance } from 'fastify'
import { csvPieces, sendCsvExport, TEXT_PIECE, type CsvColumn } from '../src/routes/csv-export.ts'
import { eventually } from './helpers/eventually.ts'

// Collections on demand: what the export still holds is what survives one.
setFlagsFromString('--expose-gc')
const collect = runInNewContext('gc') as () => void

interface Row { id: number, text: string }
const COLUMNS: Array<CsvColumn<Row>> = [['id', (r) => r.id], ['text', (r) => r.text]]
const BATCHES = 200
const ROWS = 250

/** Every row handed to the export, weakly: a row the export still holds stays. */
const handed: Array<WeakRef<Row>> = []
function batch (index: number): Row[] {
  const rows = Array.from({ length: ROWS }, (_, i) => ({ id: index * ROWS + i, text: `row ${index * ROWS + i} `.padEnd(1000, '.') }))
  for (const row of rows) handed.push(new WeakRef(row))
  return rows
}
function * batches (): Generator<Row[]> {
  for (let index = 0; index < BATCHES; index++) yield batch(index)
}

/** What the export wrote to its response, write by write, on /pieces.csv. */
const written: string[] = []
function * wideBatches (): Generator<Row[]> {
  // 250 rows of ~300 characters a batch: ~75,000 characters, a two-byte one among them.
  for (let index = 0; index < 4; index++) yield Array.from({ length: ROWS }, (_, i) => ({ id: index * ROWS + i, text: `Zoë ${i} `.padEnd(300, '-') }))
}

let app: FastifyInstance
let origin: string
let url: string
before(async () => {
  app = Fastify()
  app.get('/export.csv', async (request, reply) => await sendCsvExport(request, reply, 'test', COLUMNS, batches()))
  app.get('/pieces.csv', async (request, reply) => {
    const write = reply.raw.write.bind(reply.raw) as (chunk: unknown, ...rest: unknown[]) => boolean
    reply.raw.write = ((chunk: unknown, ...rest: unknown[]) => { written.push(String(chunk)); return write(chunk, ...rest) }) as typeof reply.raw.write
    return await sendCsvExport(request, reply, 'test', COLUMNS, wideBatches())
  })
  origin = await app.listen({ port: 0, host: '127.0.0.1' })
  url = `${origin}/export.csv`
})
after(async () => await app.close())

// Issue #14 (bench:audit): the first batch was kept for the whole export; once a collection of
// the young generation found a whole batch alive, V8 allocated every later row in the old
// generation, and the server's memory rose ~140 MB before each full collection.
test('a streamed export keeps no batch of rows while a slow client holds it back, and sends every row', async () => {
  const response = await new Promise<IncomingMessage>((resolve, reject) => get(url, resolve).once('error', reject))
  assert.equal(response.statusCode, 200)
  const chunks: Buffer[] = []
  const first = new Promise((resolve) => response.once('data', (chunk: Buffer) => { chunks.push(chunk); response.pause(); resolve(undefined) }))
  await first
  try {
    // 50 MB in all: the client's pause holds the export back long before its end.
    await eventually(() => handed.length >= 4 * ROWS ? true : undefined, 20_000)
    collect()
    const kept = handed.filter((row) => row.deref() !== undefined).length
    assert.ok(handed.length < BATCHES * ROWS, 'the export is still under way')
    // Not one whole batch (the bug held 500 rows of 1,000). On a busy machine one row was seen
    // held, the same one each time (row 945): V8 may keep the odd object a moment longer, e.g. a
    // per-row closure queued for optimization keeps the row it captured.
    assert.ok(kept < ROWS, `${kept} of the ${handed.length} rows read so far are still held`)
  } catch (error) {
    // Else the server's close would wait for the paused download.
    response.destroy()
    throw error
  }

  response.on('data', (chunk: Buffer) => chunks.push(chunk))
  const ended = new Promise((resolve) => response.once('end', resolve))
  response.resume()
  await ended
  const lines = Buffer.concat(chunks).toString('utf8').split('\r\n').filter((line) => line !== '')
  assert.equal(lines.length, 1 + BATCHES * ROWS, 'the header and every row')
  assert.match(lines.at(-1) ?? '', new RegExp(`^${BATCHES * ROWS - 1},row ${BATCHES * ROWS - 1} \\.+$`))
})

// Issue #14 (bench:audit's slope, 4-6.6 MB of the 5 allowed): a batch's text as one string (250
// audit records, ~120 KB) went to V8's large-object space, which only a full collection frees.
test('an export writes its rows in pieces of at most TEXT_PIECE characters, each of whole lines, and every row in order', async () => {
  const response = await new Promise<IncomingMessage>((resolve, reject) => get(`${origin}/pieces.csv`, resolve).once('error', reject))
  const chunks: Buffer[] = []
  for await (const chunk of response) chunks.push(chunk as Buffer)
  assert.equal(response.statusCode, 200)
  const body = Buffer.concat(chunks).toString('utf8')
  assert.equal(written.join(''), body, 'what was written is what arrived')
  const rows = written.slice(1)
  assert.ok(rows.length >= 4 * 5, `${rows.length} writes for 4 batches of ~75,000 characters`)
  for (const text of rows) {
    assert.ok(text.length <= TEXT_PIECE, `a write of ${text.length} characters`)
    assert.ok(text.endsWith('\r\n') && /^\d+,Zoë \d+ -+\r\n/.test(text), 'whole lines')
  }
  const ids = body.split('\r\n').slice(1, -1).map((line) => Number(line.split(',')[0]))
  assert.deepEqual(ids, Array.from({ length: 4 * ROWS }, (_, i) => i))
})

test('csvPieces: lines joined up to TEXT_PIECE characters, a longer line alone, nothing lost', () => {
  const short = 'a'.repeat(TEXT_PIECE / 4 - 2) + '\r\n'
  const long = 'b'.repeat(TEXT_PIECE + 10) + '\r\n'
  assert.deepEqual(csvPieces([]), [])
  assert.deepEqual(csvPieces([short, short, short, short, short]), [short.repeat(4), short])
  assert.deepEqual(csvPieces([short, long, short]), [short, long, short])
  assert.deepEqual(csvPieces([long]), [long])
})
