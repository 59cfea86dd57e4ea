import type { InventoryStatus } from '@em-console/shared/schemas'
import type { LoggedInCount } from '../../../lib/logged-in-count.ts'
import { useInventory } from './get-inventory.ts'
import { useSessionSummary } from './get-session-summary.ts'

const NO_FILTERS = {}

/** For the logout-all dialog: how many users a cluster-wide logout would end, as of when (undefined: unknown). */
export function useLoggedInCount (): LoggedInCount | undefined {
  const inventory = useInventory()
  const summary = useSessionSummary(NO_FILTERS)
  const clusters: InventoryStatus['clusters'] = inventory.data?.clusters ?? []
  const known = clusters.filter((c) => c.asOf !== null && c.state !== 'not-configured')
  if (summary.data === undefined || known.length === 0) return undefined
  const asOf = known.map((c) => c.asOf as string).sort()[0] ?? null
  return {
    users: summary.data.users,
    phones: summary.data.phones,
    asOf,
    countedFrom: summary.data.asOf,
    byCluster: Object.fromEntries(known.map((c) => [c.cluster, { users: c.counts.users, phones: c.counts.sessions, asOf: c.asOf }])),
    uncounted: clusters.filter((c) => !known.includes(c)).map((c) => c.cluster)
  }
}
