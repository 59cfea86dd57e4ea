import { randomBytes } from 'node:crypto'
import type { Db } from './database.js'

export type SettingsRepository = ReturnType<typeof createSettingsRepository>

export function createSettingsRepository (db: Db) {
  const select = db.prepare('SELECT value FROM settings WHERE key = ?')
  const upsert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
  const insertNew = db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)')
  const remove = db.prepare('DELETE FROM settings WHERE key = ?')

  const get = (key: string): string | undefined => (select.get(key) as { value: string } | undefined)?.value

  return {
    reads: { get },
    writes: {
      get,
      set (key: string, value: string): void {
        upsert.run(key, value)
      },
      delete (key: string): void {
        remove.run(key)
      },
      /** The stored value, or a new random one stored first (the same value wins across processes). */
      secret (key: string, bytes = 32): string {
        insertNew.run(key, randomBytes(bytes).toString('base64url'))
        return get(key) ?? ''
      }
    }
  }
}
