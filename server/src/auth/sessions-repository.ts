import { createHash } from 'node:crypto'
import type { Db } from '../store/database.js'

export interface SessionLimits {
  idleMs: number
  absoluteMs: number
}

export interface Session {
  accountId: number
  csrfToken: string
  createdAt: number
  lastSeenAt: number
}

/** Only the hash of a session token is stored, so a copy of the database opens no session. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url')

export type SessionsRepository = ReturnType<typeof createSessionsRepository>

export function createSessionsRepository (db: Db) {
  const insert = db.prepare('INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)')
  const select = db.prepare('SELECT account_id AS accountId, csrf_token AS csrfToken, created_at AS createdAt, last_seen_at AS lastSeenAt FROM sessions WHERE token_hash = ?')
  const touch = db.prepare('UPDATE sessions SET last_seen_at = max(last_seen_at, ?) WHERE token_hash = ?')
  const remove = db.prepare('DELETE FROM sessions WHERE token_hash = ?')
  const removeAccount = db.prepare('DELETE FROM sessions WHERE account_id = ?')
  const removeOthers = db.prepare('DELETE FROM sessions WHERE account_id = ? AND token_hash <> ?')
  const purge = db.prepare('DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?')

  return {
    reads: {
      find: (tokenHash: string): Session | undefined => select.get(tokenHash) as Session | undefined
    },
    writes: {
      insert (tokenHash: string, session: Session): void {
        insert.run(tokenHash, session.accountId, session.csrfToken, session.createdAt, session.lastSeenAt)
      },
      touch (tokenHash: string, at: number): void {
        touch.run(at, tokenHash)
      },
      delete (tokenHash: string): void {
        remove.run(tokenHash)
      },
      deleteForAccount (accountId: number): void {
        removeAccount.run(accountId)
      },
      /** Ends every session of the account but one; returns how many ended. */
      deleteOthersForAccount (accountId: number, keepTokenHash: string): number {
        return removeOthers.run(accountId, keepTokenHash).changes
      },
      purgeExpired (limits: SessionLimits, at: number): number {
        return purge.run(at - limits.idleMs, at - limits.absoluteMs).changes
      }
    }
  }
}
