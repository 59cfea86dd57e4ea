import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { after, before, test } from 'node:test'
import { buildTestApp, type TestApp } from './helpers/app.ts'

let t: TestApp
let web: string
const SCRIPT = `export const screens = [${Array.from({ length: 400 }, (_, i) => `'screen-${i}'`).join(', ')}]\n`

before(async () => {
  web = mkdtempSync(join(tmpdir(), 'em-console-web-'))
  mkdirSync(join(web, 'assets'))
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>EM Console</title>')
  writeFileSync(join(web, 'assets', 'index-abc123.js'), 'console.log(1)')
  // As the build writes them (web/vite.config.ts): the file, and beside it its .br and .gz.
  writeFileSync(join(web, 'assets', 'app-def456.js'), SCRIPT)
  writeFileSync(join(web, 'assets', 'app-def456.js.br'), brotliCompressSync(SCRIPT))
  writeFileSync(join(web, 'assets', 'app-def456.js.gz'), gzipSync(SCRIPT))
  // Files no build writes, left in the folder by hand or by a tool: never served.
  writeFileSync(join(web, '.env'), 'SECRET=1')
  writeFileSync(join(web, 'assets', '.notes.js'), 'notes')
  t = await buildTestApp({ webRoot: web })
})
after(async () => {
  await t.close()
  rmSync(web, { recursive: true, force: true })
})

test('hashed assets are cached for a year, index.html never', async () => {
  const asset = await t.inject('/assets/index-abc123.js', 'none')
  assert.equal(asset.statusCode, 200)
  assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable')
  const index = await t.inject('/', 'none')
  assert.equal(index.statusCode, 200)
  assert.equal(index.headers['cache-control'], 'no-cache')
})

test('page paths fall back to index.html; missing assets and API paths are 404', async () => {
  const page = await t.inject('/history', 'none')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /<title>EM Console/)
  assert.equal((await t.inject('/assets/missing.js', 'none')).statusCode, 404)
  assert.equal((await t.inject('/favicon.png', 'none')).statusCode, 404)
  const api = await t.inject('/api/nothing', 'none')
  assert.equal(api.statusCode, 404)
  assert.equal(api.json().error.code, 'NOT_FOUND')
})

test('an asset goes compressed as the browser accepts it, brotli first, and as it is to a client that accepts neither', async () => {
  const get = async (acceptEncoding?: string) => await t.inject({ url: '/assets/app-def456.js', headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }, 'none')
  const chromium = await get('gzip, deflate, br, zstd')
  assert.equal(chromium.statusCode, 200)
  assert.equal(chromium.headers['content-encoding'], 'br')
  assert.match(String(chromium.headers['content-type']), /javascript/)
  assert.match(String(chromium.headers.vary), /accept-encoding/i)
  assert.equal(chromium.headers['cache-control'], 'public, max-age=31536000, immutable')
  assert.equal(brotliDecompressSync(chromium.rawPayload).toString(), SCRIPT)
  assert.ok(chromium.rawPayload.length < SCRIPT.length / 3, `${chromium.rawPayload.length} bytes of ${SCRIPT.length}`)
  const gzip = await get('gzip')
  assert.equal(gzip.headers['content-encoding'], 'gzip')
  assert.equal(gunzipSync(gzip.rawPayload).toString(), SCRIPT)
  for (const plain of [await get(), await get('identity')]) {
    assert.equal(plain.headers['content-encoding'], undefined)
    assert.equal(plain.body, SCRIPT)
    assert.match(String(plain.headers.vary), /accept-encoding/i, 'a shared cache keeps the two apart')
  }
  // A file the build did not compress (too small to gain) goes as it is to every browser.
  const small = await t.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'br, gzip' } }, 'none')
  assert.equal(small.statusCode, 200)
  assert.equal(small.headers['content-encoding'], undefined)
  assert.equal(small.body, 'console.log(1)')
})

test('the assets are served by one route, not a route each made at start (a glob and ~180 routes: ~30 ms of CPU before the first answer, P5)', async () => {
  assert.doesNotMatch(t.app.printRoutes({ commonPrefix: false }), /abc123|def456/)
  assert.equal((await t.inject('/assets/index-abc123.js', 'none')).statusCode, 200)
  assert.equal((await t.inject({ method: 'HEAD', url: '/assets/app-def456.js' }, 'none')).statusCode, 200)
  assert.equal((await t.inject('/index.html', 'none')).headers['cache-control'], 'no-cache')
})

test('a dotfile in the dashboard\'s folder or its assets is not served (a 404, as before the assets\' wildcard route)', async () => {
  for (const url of ['/.env', '/assets/.notes.js', '/assets/%2e%2e/.env']) {
    const res = await t.inject(url, 'none')
    assert.equal(res.statusCode, 404, `${url}: ${res.body.slice(0, 40)}`)
  }
})

test('an asset asked for by a path not in its own form (a doubled slash) is refused in words', async () => {
  const odd = await t.inject('/assets//app-def456.js', 'none')
  assert.equal(odd.statusCode, 403)
  assert.equal(odd.json().error.code, 'FORBIDDEN')
  assert.match(odd.json().error.message, /own path/)
})
