import { ConfigError } from '../config.js'
import type { Store } from './store.js'

/** Why the database's folder cannot hold it, in the words of DATABASE_PATH's error. */
export function unusableFolder (databasePath: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error))
  return `${databasePath} cannot be used (${code}): its folder must exist or be creatable, and be writable by this user (the database, its write-ahead log and lock live there).`
}

/** The store `open` opens at DATABASE_PATH; a file or folder it cannot use is that setting's error, not a stack. */
export function openedStore (path: string, open: () => Store): Store {
  try {
    return open()
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (typeof code === 'string' && (code.startsWith('SQLITE_') || ['EACCES', 'EROFS', 'ENOENT', 'ENOTDIR', 'EPERM', 'EISDIR'].includes(code))) {
      throw new ConfigError('DATABASE_PATH', unusableFolder(path, error))
    }
    throw error
  }
}
