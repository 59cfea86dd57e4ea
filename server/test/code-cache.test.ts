import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { after, before, describe, test } from 'node:test'
import { cacheName, writeCache } from '../src/cli/code-cache.ts'
import { builtEntry } from './helpers/built.ts'

const CODE_CACHE = pathToFileURL(join(builtEntry('cli.js'), '..', '..', 'dist', 'cli', 'code-cache.js')).href

let dir: string
before(() => { dir = mkdtempSync(join(tmpdir(), 'em-console-code-cache-')) })
after(() => { rmSync(dir, { recursive: true, force: true }) })

/** A program with some functions to compile; it prints what Node gave it. */
function writeProgram (folder: string, version: number): string {
  mkdirSync(folder, { recursive: true })
  const file = join(folder, 'program.cjs')
  const helpers = Array.from({ length: 50 }, (_, i) => `function f${i} (x) { return x.map((y) => y * ${i} + ${version}).filter(Boolean).length }`).join('\n')
  writeFileSync(file, `${helpers}\nlet sum = 0\nfor (let i = 0; i < 50; i++) sum += eval('f' + i)([1, 2, 3])\nconsole.log(JSON.stringify({ sum, file: __filename, folder: __dirname, require: typeof require, module: typeof module.exports }))\nprocess.exitCode = Number(process.env.EXIT_CODE ?? 0)\n`)
  return file
}

/** As bin/cli.js does, in a process of its own (V8 keeps compiled code for a whole process): the program's line, then the cache's state. */
async function run (program: string, command: string, env: Record<string, string> = {}, as: { uid?: number, gid?: number, codeCache?: string } = {}): Promise<{ printed: { sum: number, file: string, folder: string, require: string, module: string }, cache: string, stderr: string }> {
  const { codeCache = CODE_CACHE, ...user } = as
  const script = `const { runCommonJs } = await import(${JSON.stringify(codeCache)}); const p = runCommonJs(${JSON.stringify(program)}, ${JSON.stringify(command)}, process.env); console.log(p.cache); process.once('exit', (code) => p.save(code))`
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH, ...env }, ...user })
  const [printed = '', cache = ''] = stdout.trim().split('\n')
  return { printed: JSON.parse(printed) as never, cache, stderr }
}

const caches = (folder: string): string[] => readdirSync(folder).filter((file) => file.endsWith('.v8cache')).sort()

/** The program's cache is refused, the program runs all the same, and the next run uses the cache it wrote. */
async function assertRefusedThenWritten (program: string): Promise<void> {
  const damaged = await run(program, 'logout-all')
  assert.equal(damaged.cache, 'rejected')
  assert.equal(damaged.printed.sum, 150)
  assert.equal((await run(program, 'logout-all')).cache, 'used')
}

describe('the command line\'s code cache', () => {
  test('the first run of a command writes its cache beside the program; the next runs from it, as Node would run the file', async () => {
    const program = writeProgram(join(dir, 'first'), 1)
    const first = await run(program, 'logout-all')
    assert.deepEqual(first, { printed: { sum: 3 * 50, file: program, folder: join(dir, 'first'), require: 'function', module: 'object' }, cache: 'none', stderr: '' })
    assert.deepEqual(caches(join(dir, 'first')), [cacheName(program, 'logout-all').name])
    const second = await run(program, 'logout-all')
    assert.deepEqual(second, { ...first, cache: 'used' })
    // Another command: a cache of its own.
    assert.equal((await run(program, 'status')).cache, 'none')
    assert.equal(caches(join(dir, 'first')).length, 2)
  })

  test('a cache V8 refuses (damaged, or from other flags) is written again; the program runs all the same', async () => {
    const program = writeProgram(join(dir, 'damaged'), 1)
    // Its checksum right (as written), so that V8 itself reads it and refuses it.
    const { name, prefix } = cacheName(program, 'logout-all')
    writeCache([join(dir, 'damaged')], name, prefix, () => Buffer.from('not a code cache'))
    await assertRefusedThenWritten(program)
  })

  test('a cache damaged inside, its length intact (a bad disk block), is refused, not run: V8 checks only its header', async () => {
    const program = writeProgram(join(dir, 'flipped'), 1)
    await run(program, 'logout-all')
    const file = join(dir, 'flipped', cacheName(program, 'logout-all').name)
    const data = readFileSync(file)
    for (let i = data.length >> 1; i < (data.length >> 1) + 64; i++) data[i] = (data[i] ?? 0) ^ 0x5a
    writeFileSync(file, data)
    await assertRefusedThenWritten(program)
  })

  test('a run that ends refused or failed writes no cache: it compiled only part of its command, and the cache would stay so', async () => {
    const program = writeProgram(join(dir, 'refused'), 1)
    await assert.rejects(run(program, 'logout-all', { EXIT_CODE: '3' }))
    assert.deepEqual(caches(join(dir, 'refused')), [])
    assert.equal((await run(program, 'logout-all')).cache, 'none')
    assert.equal((await run(program, 'logout-all')).cache, 'used')
  })

  test('a rebuilt program never reads the old build\'s cache, and its first run removes it', async () => {
    const program = writeProgram(join(dir, 'rebuilt'), 1)
    await run(program, 'logout-all')
    const old = caches(join(dir, 'rebuilt'))
    writeProgram(join(dir, 'rebuilt'), 2)
    const rebuilt = await run(program, 'logout-all')
    assert.equal(rebuilt.cache, 'none')
    const now = caches(join(dir, 'rebuilt'))
    assert.equal(now.length, 1)
    assert.notDeepEqual(now, old)
  })

  test('what cannot be removed among the old caches (a folder of that name) is left, without a word at the command\'s exit', async () => {
    const program = writeProgram(join(dir, 'odd-folder'), 1)
    mkdirSync(join(dir, 'odd-folder', `${cacheName(program, 'logout-all').prefix}not-a-file.v8cache`))
    const first = await run(program, 'logout-all')
    assert.equal(first.cache, 'none')
    assert.equal(first.stderr, '', 'nothing said, no stack trace')
    assert.equal((await run(program, 'logout-all')).cache, 'used')
  })

  test('a cache in systemd\'s CACHE_DIRECTORY is read when the program\'s folder holds none', async () => {
    const program = writeProgram(join(dir, 'installed'), 1)
    const cacheDirectory = join(dir, 'systemd-cache')
    mkdirSync(cacheDirectory)
    await run(program, 'logout-all')
    const { name } = cacheName(program, 'logout-all')
    renameSync(join(dir, 'installed', name), join(cacheDirectory, name))
    assert.equal((await run(program, 'logout-all', { CACHE_DIRECTORY: cacheDirectory })).cache, 'used')
    assert.equal((await run(program, 'logout-all')).cache, 'none')
  })

  test('a folder that takes files but cannot be listed (write and search, no read) keeps the cache, and the command ends as it ran', async () => {
    const folder = join(dir, 'unlistable')
    const program = writeProgram(folder, 3)
    // Root reads any folder: the command runs as nobody, in a folder of nobody's, then, with a
    // copy of the module (it imports only Node's own), as the clone may be closed to nobody.
    const codeCache = join(dir, 'code-cache.mjs')
    copyFileSync(fileURLToPath(CODE_CACHE), codeCache)
    const nobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534, codeCache: pathToFileURL(codeCache).href } : {}
    chmodSync(dir, 0o711)
    if (nobody.uid !== undefined) chownSync(folder, nobody.uid, nobody.gid)
    chmodSync(folder, 0o300)
    try {
      const first = await run(program, 'logout-all', {}, nobody)
      assert.equal(first.cache, 'none')
      assert.equal(first.stderr, '')
      const next = await run(program, 'logout-all', {}, nobody)
      assert.equal(next.cache, 'used')
      assert.equal(next.printed.sum, 150)
    } finally {
      chmodSync(folder, 0o700)
    }
  })

  test('a folder that takes no file (a read-only install) passes the cache to the next; with none, no cache is built, nothing is written and nothing fails', () => {
    const notFolder = join(dir, 'a-file')
    writeFileSync(notFolder, '')
    const next = join(dir, 'next')
    mkdirSync(next)
    let built = 0
    const data = (): Buffer => { built++; return Buffer.from('data') }
    writeCache([notFolder, next], 'x.logout-all.1.v8cache', 'x.logout-all.', data)
    assert.deepEqual(readdirSync(next), ['x.logout-all.1.v8cache'])
    assert.equal(readFileSync(join(next, 'x.logout-all.1.v8cache')).subarray(4).toString(), 'data')
    assert.equal(built, 1)
    // V8 serializing a command's compiled code takes ~12 ms: not for a cache nothing keeps.
    assert.doesNotThrow(() => { writeCache([notFolder, join(notFolder, 'below')], 'x.logout-all.2.v8cache', 'x.logout-all.', data) })
    assert.equal(built, 1)
    assert.deepEqual(readdirSync(next), ['x.logout-all.1.v8cache'])
  })
})
