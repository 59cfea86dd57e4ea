import type { Role } from '../schemas/accounts.js'

/** Each role may do all that the roles below it may: viewer < operator < admin. */
const ROLE_RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 }

/**
 * Whether `role` may do what `needed` may (nobody signed in: nothing). The server checks every
 * request with it (403 FORBIDDEN); the dashboard hides the controls a role cannot use.
 */
export function hasRole (role: Role | undefined, needed: Role): boolean {
  return role !== undefined && ROLE_RANK[role] >= ROLE_RANK[needed]
}

/**
 * A request a page makes on its own while nobody uses it (a poll) carries this header ("1"): it
 * does not renew the session's idle time (SESSION_IDLE_MINUTES), or an open tab would keep the
 * session alive for good. The dashboard sets it; the server reads it.
 */
export const UNATTENDED_HEADER = 'x-em-unattended'
