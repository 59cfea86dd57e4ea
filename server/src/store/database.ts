import { accessSync, closeSync, constants, mkdirSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { ConfigError } from '../config.js'
import { MIGRATIONS_DIR } from '../paths.js'

export type Db = Database.Database

let addon: string | undefined
/**
 * The driver's compiled addon, named so that the driver loads it at once (every connection: this
 * one and the checkpoint thread's). Left to find it, the driver's `bindings` helper builds a stack
 * trace and tries some 40 paths from the file that called it, which inside the bundle
 * (server/bundle.mjs) is not the driver's package folder.
 */
export const driverAddon = (): string => (addon ??= createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node'))

/**
 * The folder of the database at `path`, made if need be. The audit trail, password hashes and
 * sealed secrets are for this account alone, whatever the umask: a new folder is 0700 (its
 * database 0600, see openDatabase). One that exists keeps the mode its owner gave it. Whoever
 * comes first makes it: the server's lock (server-lock.ts) or the database.
 */
export function makeDatabaseFolder (path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
}

/**
 * Why the database at `path` may be read by other accounts of this machine (its mode lets group
 * or others read it), or undefined. A database made by a release before new ones were 0600 keeps
 * the umask's mode (often 644): upgrading does not change an admin's file, the server says so.
 */
export function readableByOthers (path: string): string | undefined {
  if (path === ':memory:') return undefined
  const mode = statSync(path).mode & 0o777
  const folder = statSync(dirname(path)).mode
  // Read by the group or by others only when they may also enter its folder (a 0700 one keeps them out).
  if (!((mode & 0o040) !== 0 && (folder & 0o010) !== 0) && !((mode & 0o004) !== 0 && (folder & 0o001) !== 0)) return undefined
  return `${path} can be read by other accounts of this machine (mode ${mode.toString(8)}): it holds the audit trail, password hashes and the sealed cluster passwords. Make it the server's alone: chmod 600 ${path} (its -wal and -shm files follow it at the next start).`
}

/**
 * The most of its write-ahead log a database keeps on disk once the log starts over (a checkpoint
 * reached its end). Above what ordinary work fills between two checkpoints: cutting a log that
 * then grows again cost a bulk run 2-3 % of its speed at 16 MB (P2), nothing at 64 MB.
 */
export const WAL_KEPT_BYTES = 64 * 1024 * 1024

/** The database's version (PRAGMA user_version) before and after this opening's migrations: 0 before, for a new one. */
export interface SchemaVersions { before: number, now: number }

/** Told of an opening's migrations: `upgrading` before those of a database made by an older release, `opened` after all. */
export interface OpeningWatch {
  upgrading?: (versions: SchemaVersions) => void
  opened?: (versions: SchemaVersions) => void
}

/**
 * Opens the database: WAL so readers never wait for the writer, foreign keys on, and the numbered
 * migrations applied forward only, tracked by PRAGMA user_version. Only the Store (store.ts) and
 * tools that build databases call this.
 */
export function openDatabase (path: string, watch: OpeningWatch = {}): Db {
  if (path !== ':memory:') {
    // A new database is 0600, and SQLite gives its -wal and -shm files the database's mode.
    makeDatabaseFolder(path)
    try {
      closeSync(openSync(path, 'wx', 0o600))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    mustBeWritable(path)
  }
  const db = new Database(path, { nativeBinding: driverAddon() })
  db.pragma('busy_timeout = 5000')
  mustBeEmConsoles(db, path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  // A log grown large while a reader held it (a backup, a long export: no checkpoint can reach its
  // end) is cut back to this when it starts over, instead of keeping its largest size on disk.
  db.pragma(`journal_size_limit = ${WAL_KEPT_BYTES}`)
  const versions = migrate(db, path, watch.upgrading)
  watch.opened?.(versions)
  // From here on a locked database answers SQLITE_BUSY at once, so no write blocks the event
  // loop waiting: the Store's write queue retries with backoff instead (write-queue.ts).
  db.pragma('busy_timeout = 0')
  return db
}

/**
 * DATABASE_PATH's error for a database on a file system mounted read-only, or one systemd keeps
 * read-only for the service (ProtectSystem=strict, the folder not in ReadWritePaths=): no chown
 * or chmod helps.
 */
export function readOnlyFileSystem (path: string): ConfigError {
  return new ConfigError('DATABASE_PATH', `${path} cannot be used (EROFS): it is on a file system this process may only read.`,
    `Under systemd, let the units write its folder with a drop-in (systemctl edit em-console, then [Service] and ReadWritePaths=${dirname(path)}: docs/operations.md, "Backups, restores and moving the database"); else mount it read-write, or set DATABASE_PATH to a folder that is.`)
}

/**
 * Refuses a database this user may read but not write (a backup restored as root, a command run
 * as another user than the service's): SQLite would open it read-only without a word, the first
 * audit record would fail mid-command, and its -wal and -shm files, made by this user, could then
 * keep the service's own user out.
 */
function mustBeWritable (path: string): void {
  try {
    accessSync(path, constants.W_OK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error)
    if (code === 'EROFS') throw readOnlyFileSystem(path)
    throw new ConfigError('DATABASE_PATH', `${path} cannot be written by this user (${code})`,
      'Run EM Console as the user that owns the database (the service\'s: sudo -u em-console ...), or give it to that user (chown, then chmod 600).')
  }
}

/**
 * Refuses another program's database (DATABASE_PATH mistyped, or naming a file of another tool):
 * every EM Console database has a version from its first migration on, in the same transaction,
 * so tables in one of version 0 are someone else's. Migrated, they got EM Console's tables beside
 * them and WAL turned on, and the start's log called the database new. Many programs keep a
 * version of their own there too (PRAGMA user_version): one without EM Console's audit table (its
 * first migration's) is another program's as well, not one to migrate from that version (it failed
 * on "no such table: main.audit", WAL on) nor a newer EM Console's (above this release's).
 */
function mustBeEmConsoles (db: Db, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number
  if (version !== 0 && db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'").get() !== undefined) return
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name LIMIT 4").pluck().all() as string[]
  if (version === 0 && tables.length === 0) return
  db.close()
  const named = tables.length > 3 ? `${tables.slice(0, 3).join(', ')}, ...` : tables.join(', ')
  const held = tables.length === 0 ? 'it holds no table' : `it holds tables of another program (${named})`
  throw new ConfigError('DATABASE_PATH', `${path} is not EM Console's database: ${held} and ${version === 0 ? 'no EM Console version' : `not EM Console's audit trail (its version, ${version}, is another program's)`}.`,
    'Set DATABASE_PATH to EM Console\'s database, or to a file that does not exist yet (a new database is made there).')
}

/** How long an upgrade waits for another process's migrations to end. */
const UPGRADE_WAIT_MS = 10 * 60_000

function migrate (db: Db, path: string, upgrading?: (versions: SchemaVersions) => void): SchemaVersions {
  const current = db.pragma('user_version', { simple: true }) as number
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{3}-.*\.sql$/.test(f)).sort()
  // A newer release's database, opened by an older one (a downgrade): its tables mean what this
  // release does not know, and writing to them could break what the newer one relies on.
  const newest = Number.parseInt(files.at(-1)?.slice(0, 3) ?? '0', 10)
  if (current > newest) {
    db.close()
    throw new ConfigError('DATABASE_PATH', `${path} was written by a newer EM Console (database version ${current}; this one knows up to ${newest}). Run that release or a newer one, or restore a backup made before the upgrade.`)
  }
  if (current > 0 && current < newest) upgrading?.({ before: current, now: newest })
  // Another process may be upgrading it too (a CLI command begun first, with the server started
  // meanwhile): its migrations can hold the lock for a minute on a year's database. Waiting only
  // the usual 5 s refused the database as locked (the server exits 3 and is not restarted); once
  // it is free, what that process applied is not applied again (it failed: duplicate column).
  if (current < newest) db.pragma(`busy_timeout = ${UPGRADE_WAIT_MS}`)
  undoRevertedMigration(db)
  for (const file of files) {
    const version = Number.parseInt(file.slice(0, 3), 10)
    if (version <= current) continue
    const sql = readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8')
    db.transaction(() => {
      if ((db.pragma('user_version', { simple: true }) as number) >= version) return
      db.exec(sql)
      db.pragma(`user_version = ${version}`)
    }).immediate()
  }
  return { before: current, now: newest }
}

/**
 * Migration 027 was first a trigger copying a logout-all's devices into audit_devices (838d0e4),
 * reverted by e575977 once its cost was measured; today's 027 (runs.retry_scope) took its number.
 * A database migrated by main in between is at version 27 with that trigger and without the
 * column, so every start failed on "table runs has no column named retry_scope": the trigger goes
 * and today's 027 is applied. The rows it added stay (each names a device a logout-all did end).
 */
function undoRevertedMigration (db: Db): void {
  const hasTrigger = (): boolean => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'session_history_audit_device'").get() !== undefined
  if (!hasTrigger()) return
  // Looked at again inside the write: another process opening it at the same moment may have mended it first.
  db.transaction(() => {
    if (!hasTrigger()) return
    db.exec('DROP TRIGGER session_history_audit_device')
    const hasRetryScope = db.prepare("SELECT 1 FROM pragma_table_info('runs') WHERE name = 'retry_scope'").get() !== undefined
    if (!hasRetryScope) db.exec(readFileSync(new URL('027-run-retry-scope.sql', MIGRATIONS_DIR), 'utf8'))
  }).immediate()
}
