import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { createSecretBox, loadSecretKey, SecretError } from '../src/clusters/secrets.ts'
import { definitionOf } from '../src/clusters/stored-clusters.ts'
import { silentLog, type Log } from '../src/log.ts'

const KEY = 'a-key-text-that-is-long-enough-for-the-rule'

test('sealed values open only with their key and their context; each seal is different', () => {
  const box = createSecretBox(KEY)
  const sealed = box.seal('Passw0rd!', 'cluster:emea:appPassword')
  assert.match(sealed, /^v1\./)
  assert.ok(!sealed.includes('Passw0rd'))
  assert.notEqual(box.seal('Passw0rd!', 'cluster:emea:appPassword'), sealed, 'a fresh IV each time')
  assert.equal(box.open(sealed, 'cluster:emea:appPassword'), 'Passw0rd!')
  // Copied to another cluster or field, altered, or opened with another key: refused, never garbage.
  assert.throws(() => box.open(sealed, 'cluster:apac:appPassword'), SecretError)
  assert.throws(() => box.open(sealed, 'cluster:emea:axlPassword'), SecretError)
  const [v, iv, tag, data = ''] = sealed.split('.')
  assert.throws(() => box.open([v, iv, tag, (data[0] === 'A' ? 'B' : 'A') + data.slice(1)].join('.'), 'cluster:emea:appPassword'), SecretError)
  assert.throws(() => createSecretBox(KEY + 'x').open(sealed, 'cluster:emea:appPassword'), /cannot be decrypted with this secret key/)
  assert.throws(() => createSecretBox(undefined).seal('x', 'c'), /No secret key: start the server once/)
  // Stored passwords without their key: a new key would never open them, so that is not the advice.
  assert.throws(() => createSecretBox(undefined).open(sealed, 'cluster:emea:appPassword'), (error: Error) => /put back the key file/.test(error.message) && !/start the server/.test(error.message))
})

test('the key file: created 0600 when asked, read as it is after, never created by a reader; SECRET_KEY wins', () => {
  const dir = mkdtempSync(join(tmpdir(), 'em-console-secrets-'))
  const warnings: string[] = []
  const log: Log = { ...silentLog, warn: (_c, message) => { warnings.push(message) } }
  try {
    const file = join(dir, 'secret.key')
    assert.equal(loadSecretKey({ file, create: false, log }), undefined)
    const created = loadSecretKey({ file, create: true, log })
    assert.equal(statSync(file).mode & 0o777, 0o600)
    assert.match(warnings.join(), /Back it up with the database/)
    assert.equal(loadSecretKey({ file, create: true, log }), readFileSync(file, 'utf8'))
    assert.equal(createSecretBox(created).open(createSecretBox(loadSecretKey({ file, create: false, log })).seal('x', 'c'), 'c'), 'x')
    assert.equal(loadSecretKey({ key: KEY, file, create: true, log }), KEY)

    const shared = join(dir, 'readable.key')
    writeFileSync(shared, KEY, { mode: 0o644 })
    loadSecretKey({ file: shared, create: false, log })
    assert.match(warnings.at(-1) ?? '', /can be read by other users/)
    // Readable by the file's group only (a service group shared with other daemons): a warning too.
    const group = join(dir, 'group.key')
    writeFileSync(group, KEY)
    chmodSync(group, 0o640)
    const before = warnings.length
    loadSecretKey({ file: group, create: false, log })
    assert.equal(warnings.length, before + 1)
    assert.match(warnings.at(-1) ?? '', /group\.key can be read by other users: run chmod 600/)
    chmodSync(group, 0o600)
    loadSecretKey({ file: group, create: false, log })
    assert.equal(warnings.length, before + 1, 'a key file of mode 600 is not warned of')
    writeFileSync(join(dir, 'short.key'), 'short')
    assert.throws(() => loadSecretKey({ file: join(dir, 'short.key'), create: false, log }), /not a key EM Console made/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a stored cluster whose host holds a port (saved before hosts were checked so) is unusable with a problem that says so, not a start that fails on it', () => {
  const box = createSecretBox(KEY)
  const row = { id: 'bad', name: 'bad', host: 'cucm.example.org:8443', port: 8443, appUser: 'app', appPasswordSealed: box.seal('secret', 'cluster:bad:appPassword'), caPem: null, tlsInsecure: false, timeoutMs: 15000, maxConcurrency: 4, multipleLogins: 'not-allowed' as const, timezone: null, enabled: true, axlHost: null, axlPort: null, axlUser: null, axlPasswordSealed: null, axlVersion: null, createdAt: '', createdBy: 'admin', updatedAt: '', updatedBy: 'admin' }
  assert.match(definitionOf(row, box).problem ?? '', /its host "cucm\.example\.org:8443" is not a host name or IP address without a port: edit the cluster/)
  assert.equal(definitionOf({ ...row, host: 'cucm.example.org' }, box).problem, undefined)
  assert.match(definitionOf({ ...row, host: 'cucm.lab.0xab' }, box).problem ?? '', /its host "cucm\.lab\.0xab" is not a host name/)
  assert.match(definitionOf({ ...row, host: 'cucm.example.org', axlUser: 'axl', axlHost: 'pub:8443', axlPasswordSealed: box.seal('x', 'cluster:bad:axlPassword') }, box).problem ?? '', /"pub:8443"/)
})
