import type { AsOf } from '@em-console/shared/schemas'

/**
 * What the logout-all dialog says a logout-all would end, from the AXL inventory: the sessions
 * feature counts it, the Overview hands it to the logout-all feature.
 */
export interface LoggedInCount {
  /** Every counted cluster's, as of the oldest of their inventories. */
  users: number
  phones: number
  asOf: string | null
  /** Each cluster's inventory the first numbers were counted from. */
  countedFrom: AsOf
  /** Each counted cluster's own, by cluster id. */
  byCluster: Record<string, { users: number, phones: number, asOf: string | null }>
  /** Clusters whose logged-in users are not known (no AXL inventory yet): not in the numbers. */
  uncounted: string[]
}
