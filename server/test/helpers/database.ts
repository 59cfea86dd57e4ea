import Database from 'better-sqlite3'

/** Another connection (a CLI command, a backup) that holds the write lock until released. */
export function holdWriteLock (path: string): { release: () => void } {
  const other = new Database(path)
  other.prepare('BEGIN IMMEDIATE').run()
  return {
    release () {
      other.prepare('COMMIT').run()
      other.close()
    }
  }
}
