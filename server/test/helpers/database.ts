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

/**
 * The database at `path` as a crash (kill -9) leaves it, copied to `to` while its server runs:
 * what was committed, nothing after (an online backup, so the live file is never opened for writing).
 */
export async function copyAsACrashLeavesIt (path: string, to: string): Promise<void> {
  const live = new Database(path, { readonly: true })
  try {
    await live.backup(to)
  } finally {
    live.close()
  }
}
