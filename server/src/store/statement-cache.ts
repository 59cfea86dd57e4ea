import type Database from 'better-sqlite3'
import type { Db } from './database.js'

/** Statements kept at most by a cache: the shapes of History's and Sessions' filters in use fit many times over. */
export const STATEMENTS_KEPT = 256

/**
 * Prepares statements whose SQL varies with a request's filters (which are set, how many pools,
 * the sort) once each, keeping the `limit` last used: a client varying its filters must not grow
 * the server's memory without bound (800 shapes of the live sessions' page, 1,600 statements,
 * grow the process by about 8.5 MB with this bound).
 */
export function statementCache (db: Db, limit = STATEMENTS_KEPT): { prepared: (sql: string) => Database.Statement<unknown[]> } {
  const kept = new Map<string, Database.Statement<unknown[]>>()
  return {
    prepared (sql) {
      const statement = kept.get(sql) ?? db.prepare<unknown[]>(sql)
      // Kept last: a Map iterates in insertion order, so its first is the least recently used.
      kept.delete(sql)
      kept.set(sql, statement)
      if (kept.size > limit) kept.delete(kept.keys().next().value as string)
      return statement
    }
  }
}
