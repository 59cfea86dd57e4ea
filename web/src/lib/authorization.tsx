import { createContext, useContext, type ReactNode } from 'react'
import { hasRole } from '@em-console/shared/rules'
import type { Role } from '@em-console/shared/schemas'

export const ROLE_LABELS: Record<Role, string> = { viewer: 'Viewer', operator: 'Operator', admin: 'Admin' }
export const ROLES = Object.keys(ROLE_LABELS) as Role[]

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: 'Look-ups and history',
  operator: 'Also logs users in and out, and logs out all',
  admin: 'Also manages accounts, schedules and settings'
}

const RoleContext = createContext<Role | undefined>(undefined)
const UserContext = createContext<string | undefined>(undefined)

/** The signed-in user's role, and their user name. */
export function RoleProvider ({ role, user, children }: { role: Role, user: string, children: ReactNode }) {
  return <UserContext.Provider value={user}><RoleContext.Provider value={role}>{children}</RoleContext.Provider></UserContext.Provider>
}

/** The signed-in user's name: what a tab keeps for them (a draft) is theirs, not the next person's. */
export function useSignedInUser (): string | undefined {
  return useContext(UserContext)
}

/**
 * True when the signed-in user's role is `needed` or above, for hiding controls it cannot use. The
 * server checks every request anyway (403 FORBIDDEN); this only keeps buttons that would fail off the screen.
 */
export function useHasRole (needed: Role): boolean {
  return hasRole(useContext(RoleContext), needed)
}
