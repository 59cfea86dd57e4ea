import { createContext, useContext, type ReactNode } from 'react'
import type { Role } from '@em-console/shared/schemas'

/*
 * What the signed-in role may do, for hiding controls it cannot use. The server checks every
 * request anyway (403 FORBIDDEN); this only keeps buttons that would fail off the screen.
 * The ranks mirror the server's (viewer < operator < admin); typed against the shared union so a
 * new role cannot be forgotten, and kept here so the bundle does not pull TypeBox in at run time.
 */
const ROLE_RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 }

export const ROLE_LABELS: Record<Role, string> = { viewer: 'Viewer', operator: 'Operator', admin: 'Admin' }
export const ROLES = Object.keys(ROLE_LABELS) as Role[]

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: 'Look-ups and history',
  operator: 'Also logs users in and out, and logs out all',
  admin: 'Also manages accounts, schedules and settings'
}

const RoleContext = createContext<Role | undefined>(undefined)

export function RoleProvider ({ role, children }: { role: Role, children: ReactNode }) {
  return <RoleContext.Provider value={role}>{children}</RoleContext.Provider>
}

export function hasRole (role: Role | undefined, needed: Role): boolean {
  return role !== undefined && ROLE_RANK[role] >= ROLE_RANK[needed]
}

/** True when the signed-in user's role is `needed` or above. */
export function useHasRole (needed: Role): boolean {
  return hasRole(useContext(RoleContext), needed)
}

/** Renders its children only for `role` and above. */
export function Authorized ({ role, children }: { role: Role, children: ReactNode }) {
  return useHasRole(role) ? children : null
}
