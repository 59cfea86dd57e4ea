import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { buildTestApp, type TestApp } from './helpers/app.ts'

let t: TestApp
let web: string

before(async () => {
  web = mkdtempSync(join(tmpdir(), 'em-console-web-'))
  mkdirSync(join(web, 'assets'))
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>EM Console</title>')
  writeFileSync(join(web, 'assets', 'index-abc123.js'), 'console.log(1)')
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
