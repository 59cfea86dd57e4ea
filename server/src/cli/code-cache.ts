import { createHash } from 'node:crypto'
import { closeSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
import { Script } from 'node:vm'
import { crc32 } from 'node:zlib'

/**
 * The command line's program runs from V8's code cache (issue #14, bench:cli): most of a command's
 * time that is not CUCM's was V8 compiling the program's code, the same code every night.
 * Node 22 keeps such a cache itself (module.enableCompileCache); on Node 20 the program is one
 * CommonJS file (bundle.mjs) compiled here with the cache V8 wrote after the last run of the same
 * command. Each command has its own, holding the functions that command compiled.
 *
 * Where: beside the program, or in systemd's CacheDirectory= ($CACHE_DIRECTORY) for a unit whose
 * install folder is read-only (deploy/em-console-logout-all.service); nowhere else. Whoever can
 * write beside the program can change the program itself; CacheDirectory= belongs to the unit's
 * user, so a cache planted there runs with the rights of the user who could plant it. The name
 * carries the program's size and time of change, Node's version and the command: a rebuilt
 * program, another Node or another command never reads a cache it did not write (V8 itself
 * checks only the length of the source).
 * A cache V8 rejects (its flags differ) is written again; one that cannot be written is left out.
 * Each file starts with the CRC-32 of the cache it holds, checked before V8 sees it: V8 checks a
 * cache's header and length, not its contents (it verifies its checksum only in debug builds, and
 * --verify-snapshot-checksum would also check its own snapshot for every worker thread: ~40 ms),
 * and a cache damaged inside stopped the command with a V8 fatal error, every run, until removed.
 */

export interface CachedProgram {
  /** Whether V8 used a cache, or had none or rejected it. */
  cache: 'used' | 'none' | 'rejected'
  /**
   * At exit: writes the cache of what has been compiled, when there was none or it was rejected
   * and the command succeeded. A refused or failed run (a usage error, "no" at the question,
   * CUCM unreachable) compiled only part of its command, and a cache once used is never written
   * again: the next runs would start from that part until the next build.
   */
  save: (exitCode: number) => void
}

/** The command's name as a file name part: what the person typed only if it reads as a command. */
function commandKey (command: string | undefined): string {
  return command !== undefined && /^[a-z][a-z-]{0,31}$/.test(command) ? command : 'other'
}

/** Folders a cache may be kept in, first choice first. */
function cacheFolders (program: string, env: NodeJS.ProcessEnv): string[] {
  const systemd = env.CACHE_DIRECTORY?.split(':')[0]
  return [dirname(program), ...(systemd === undefined || systemd === '' ? [] : [systemd])]
}

/** The cache file's name for this program, Node and command; those of older builds share its prefix. */
export function cacheName (program: string, command: string | undefined): { name: string, prefix: string } {
  const { size, mtimeMs } = statSync(program)
  const build = createHash('sha256').update(`${program}\n${size}\n${mtimeMs}\n${process.version}\n${process.arch}`).digest('hex').slice(0, 16)
  const prefix = `${basename(program)}.${commandKey(command)}.`
  return { name: `${prefix}${build}.v8cache`, prefix }
}

const CHECKSUM_BYTES = 4

/** The first cache file found, its contents when they are what was written, or 'damaged'. */
function readCache (folders: readonly string[], name: string): Buffer | 'damaged' | undefined {
  for (const folder of folders) {
    let file: Buffer
    try {
      file = readFileSync(join(folder, name))
    } catch {
      continue
    }
    const data = file.subarray(CHECKSUM_BYTES)
    return file.length > CHECKSUM_BYTES && file.readUInt32BE(0) === crc32(data) ? data : 'damaged'
  }
  return undefined
}

/**
 * Written whole or not at all (a rename), in the first folder that takes it; older builds' caches
 * there go. `data` is asked for only once a folder took the file: with none (a read-only install
 * without CacheDirectory=), no cache is built (~12 ms of V8 serializing at every exit).
 */
export function writeCache (folders: readonly string[], name: string, prefix: string, data: () => Buffer): void {
  let file: Buffer | undefined
  for (const folder of folders) {
    const temporary = join(folder, `.${name}.${process.pid}`)
    let fd: number
    try {
      fd = openSync(temporary, 'w', 0o600)
    } catch {
      continue
    }
    try {
      try {
        file ??= withChecksum(data())
        writeFileSync(fd, file)
      } finally {
        closeSync(fd)
      }
      renameSync(temporary, join(folder, name))
    } catch {
      try {
        rmSync(temporary, { force: true })
      } catch {}
      continue
    }
    // Older builds' caches, as far as they go (a folder that cannot be listed keeps them): this
    // runs at exit, where a throw would print a stack trace.
    let entries: string[] = []
    try {
      entries = readdirSync(folder)
    } catch {}
    for (const entry of entries) {
      if (!entry.startsWith(prefix) || entry === name) continue
      try {
        rmSync(join(folder, entry), { force: true })
      } catch {}
    }
    return
  }
}

/** The cache as written: the CRC-32 of `data`, then `data`. */
function withChecksum (data: Buffer): Buffer {
  const checksum = Buffer.alloc(CHECKSUM_BYTES)
  checksum.writeUInt32BE(crc32(data))
  return Buffer.concat([checksum, data])
}

/**
 * Runs the CommonJS file `program` as Node would (its own require, module, __filename) in this
 * context, compiled with the code cache of `command` when there is one.
 */
export function runCommonJs (program: string, command: string | undefined, env: NodeJS.ProcessEnv): CachedProgram {
  const folders = cacheFolders(program, env)
  const { name, prefix } = cacheName(program, command)
  const cachedData = readCache(folders, name)
  const source = readFileSync(program, 'utf8')
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: program,
    cachedData: cachedData === 'damaged' ? undefined : cachedData
  })
  const cache = cachedData === undefined ? 'none' : cachedData === 'damaged' || script.cachedDataRejected === true ? 'rejected' : 'used'
  const module = { exports: {} }
  const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void
  run(module.exports, createRequire(program), module, program, dirname(program))
  return {
    cache,
    save: (exitCode) => { if (cache !== 'used' && exitCode === 0) writeCache(folders, name, prefix, () => script.createCachedData()) }
  }
}
