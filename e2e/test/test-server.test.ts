import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer as createHttpServer } from 'node:http'
import { createServer } from 'node:net'
import { test } from 'node:test'
import { checkBuilt, freePort, listensOn, startTestServer } from '../test-server.ts'

/** The ports a start tries: `taken` first, then free ones; each tried is put in `tried`. */
function takenFirst (taken: number, tried: number[]): () => Promise<number> {
  return async () => {
    const port = tried.length === 0 ? taken : await freePort()
    tried.push(port)
    return port
  }
}

test('a port taken between finding it free and the server listening on it: the worker\'s server starts on another, not fails every journey of the worker', async (t) => {
  checkBuilt()
  // Another program (the other worker's simulators, Chromium) takes the port first.
  const other = createServer().listen(0, '127.0.0.1')
  await once(other, 'listening')
  t.after(() => { other.close() })
  const taken = (other.address() as { port: number }).port
  const tried: number[] = []
  // The program on it accepts and never answers: the wait for the server must not hang on it (fetch's own limit is 300 s).
  const started = Date.now()
  const server = await startTestServer({ port: takenFirst(taken, tried) })
  t.after(async () => { await server.stop() })
  assert.ok(Date.now() - started < 60_000, `started in ${Date.now() - started} ms`)
  assert.equal(tried.length, 2, 'the taken port, then another')
  assert.equal(server.baseUrl, `http://127.0.0.1:${tried[1] ?? 0}`)
  const info = await fetch(`${server.baseUrl}/api/session/info`)
  assert.equal(info.status, 200)
  assert.equal(server.simulatorUrls.length, 2)
})

test('a port taken by another server that answers as EM Console does (the other worker\'s, started on the same port found free): the worker\'s server starts on another, not uses the other worker\'s', async (t) => {
  checkBuilt()
  const other = createHttpServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }).end('{}') }).listen(0, '127.0.0.1')
  await once(other, 'listening')
  t.after(() => { other.closeAllConnections(); other.close() })
  const taken = (other.address() as { port: number }).port
  const tried: number[] = []
  const server = await startTestServer({ port: takenFirst(taken, tried) })
  t.after(async () => { await server.stop() })
  assert.deepEqual(tried.length, 2, `the taken port, then another: ${JSON.stringify(tried)}`)
  assert.equal(server.baseUrl, `http://127.0.0.1:${tried[1] ?? 0}`)
  assert.equal(listensOn(server.pid, tried[1] ?? 0), true)
})
