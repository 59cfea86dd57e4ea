import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../db/database.js'

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

const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url')

/** A session row is only touched once a minute, so reading pages does not write on every request. */
const TOUCH_EVERY_MS = 60_000

export type SessionsRepository = ReturnType<typeof createSessionsRepository>

export function createSessionsRepository (db: Db, limits: SessionLimits, now: () => number = Date.now) {
  const insert = db.prepare('INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)')
  const select = db.prepare('SELECT account_id AS accountId, csrf_token AS csrfToken, created_at AS createdAt, last_seen_at AS lastSeenAt FROM sessions WHERE token_hash = ?')
  const touch = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?')
  const remove = db.prepare('DELETE FROM sessions WHERE token_hash = ?')
  const removeAccount = db.prepare('DELETE FROM sessions WHERE account_id = ?')
  const purge = db.prepare('DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?')

  return {
    /** Returns the cookie token; only its hash is stored, so a copy of the database opens no session. */
    create (accountId: number): { token: string, session: Session } {
      const token = randomBytes(32).toString('base64url')
      const session = { accountId, csrfToken: randomBytes(24).toString('base64url'), createdAt: now(), lastSeenAt: now() }
      insert.run(hashToken(token), accountId, session.csrfToken, session.createdAt, session.lastSeenAt)
      return { token, session }
    },
    /** The live session of a token, renewing its idle time; expired sessions are deleted. */
    use (token: string): Session | undefined {
      const key = hashToken(token)
      const session = select.get(key) as Session | undefined
      if (session === undefined) return undefined
      const at = now()
      if (at - session.lastSeenAt > limits.idleMs || at - session.createdAt > limits.absoluteMs) {
        remove.run(key)
        return undefined
      }
      if (at - session.lastSeenAt > TOUCH_EVERY_MS) touch.run(at, key)
      return session
    },
    delete (token: string): void {
      remove.run(hashToken(token))
    },
    deleteForAccount (accountId: number): void {
      removeAccount.run(accountId)
    },
    purgeExpired (): number {
      const at = now()
      return purge.run(at - limits.idleMs, at - limits.absoluteMs).changes
    }
  }
}
