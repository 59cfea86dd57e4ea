import { existsSync, realpathSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { ConfigError, ENV_FILE } from '../config.js'
import { readOnlyFileSystem } from './database.js'
import { openStore, type Store, type StoreOptions } from './store.js'

/**
 * DATABASE_PATH as the file system resolves it (links followed, as SQLite follows them): what is
 * beside the database (the server's lock, the secret key) is found from it, so a second path to
 * the same file (a symbolic link) finds the same. As given while the folder does not exist yet.
 */
export function resolvedDatabasePath (databasePath: string): string {
  try {
    return realpathSync(databasePath)
  } catch {
    try {
      return join(realpathSync(dirname(databasePath)), basename(databasePath))
    } catch {
      return databasePath
    }
  }
}

/** Why the database's folder cannot hold it, in the words of DATABASE_PATH's error. */
function unusableFolder (databasePath: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error))
  return `${databasePath} cannot be used (${code}): its folder must exist or be creatable, and be writable by this user (the database, its write-ahead log and lock live there).`
}

/**
 * DATABASE_PATH's error for a folder that cannot hold the database. A full disk (the lock, the
 * first write of a start, found no room) is no setting to fix: said so, not as a folder to make
 * writable.
 */
export function folderRefusal (databasePath: string, error: unknown): ConfigError {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EROFS') return readOnlyFileSystem(databasePath)
  if (typeof code === 'string' && FULL_DISK_CODES.includes(code)) {
    return new ConfigError('DATABASE_PATH', `${databasePath} cannot be used (${code}): the disk holding it is full (or this user's quota is).`,
      'Free space on it (the database, its write-ahead log and lock live there), then start again.')
  }
  return new ConfigError('DATABASE_PATH', unusableFolder(databasePath, error))
}

/** The store of DATABASE_PATH (`options.path`); a file or folder it cannot use is that setting's error, not a stack. */
export function openedStore (options: StoreOptions): Store {
  const { path } = options
  try {
    return openStore(options)
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (typeof code !== 'string') throw error
    // The folder or the file cannot be used; any other SQLite error (not a database, damaged,
    // locked by another program through a migration) is said as SQLite says it.
    if (FOLDER_CODES.includes(code) || FULL_DISK_CODES.includes(code) || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY')) throw folderRefusal(path, error)
    if (code.startsWith('SQLITE_')) throw new ConfigError('DATABASE_PATH', `${path} cannot be opened as EM Console's database (${code}: ${error instanceof Error ? error.message : String(error)}).`)
    throw error
  }
}

/**
 * The store of a database that is there, for a command that reads what it holds (`schedules`,
 * `history`, the account commands but `user add`): run outside EM Console's folder (a cron line
 * without cd: no .env, so the default path) or with DATABASE_PATH mistyped, opening would make a
 * new, empty database there and the command would report nothing wrong ("No schedules.", exit 0,
 * to a monitoring check).
 */
export function existingStore (options: StoreOptions): Store {
  const { path } = options
  try {
    if (path !== ':memory:') statSync(path)
  } catch (error) {
    // Any other failure (a folder it may not read) is said as opening it says it.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      const noEnvFile = existsSync(ENV_FILE) ? '' : ` There is no ${ENV_FILE} in ${process.cwd()}.`
      throw new ConfigError('DATABASE_PATH', `there is no database at ${resolve(path)}: no server or command has used it, so there is nothing to read.${noEnvFile}`,
        'Run the command in EM Console\'s folder (a cron line: cd /opt/em-console && ...; a systemd timer: WorkingDirectory=), or set DATABASE_PATH to the server\'s database.')
    }
  }
  return openedStore(options)
}

// SQLITE_IOERR_SHMSIZE: the -shm file could not be enlarged, which SQLite says may mean no space
// (a command opening the database of no running server, on a full disk).
const FULL_DISK_CODES = ['ENOSPC', 'EDQUOT', 'SQLITE_FULL', 'SQLITE_IOERR_SHMSIZE']
// EEXIST: a file where its folder should be (mkdir says so rather than ENOTDIR).
const FOLDER_CODES = ['EACCES', 'EROFS', 'ENOENT', 'ENOTDIR', 'EPERM', 'EISDIR', 'EEXIST']
