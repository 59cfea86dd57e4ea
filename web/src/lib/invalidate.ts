import type { QueryClient } from '@tanstack/react-query'
import { ApiError } from './api-client.ts'

/** When the server's follow-up inventory refresh has usually run (inventory.ts: ~2 s after a change, at most every 30 s). */
const INVENTORY_CATCH_UP_MS = 4000

/**
 * After a login or logout: device states, the devices users are on and the audit trail may have
 * changed. Users' device profiles do not change, and re-reading them costs an EMAPI query each.
 * A change the server says was refused or never sent (its answer without an `outcome`, and not an
 * internal error) changed nothing on CUCM: only the audit trail is read again, and the look-up on
 * screen stays, with the failure under its row. A network failure or a proxy's error page says
 * nothing of what happened: everything is read again.
 */
export async function invalidateAfterAction (queryClient: QueryClient, error: unknown = null): Promise<void> {
  if (error instanceof ApiError && error.fromServer && error.outcome === undefined && error.code !== 'INTERNAL') {
    await queryClient.invalidateQueries({ queryKey: ['audit'] })
    return
  }
  // The server reads the cluster's inventory again a moment after a change: its state is asked
  // then (and every half minute anyway); once its "as of" moves, the sessions on screen follow
  // (useSessionsFollowInventory).
  setTimeout(() => { queryClient.invalidateQueries({ queryKey: ['inventory'] }).catch(() => {}) }, INVENTORY_CATCH_UP_MS)
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: ['sessions'] }),
    queryClient.invalidateQueries({ queryKey: ['devices'] }),
    queryClient.invalidateQueries({ queryKey: ['users'], predicate: (query) => query.queryKey[2] === 'devices' }),
    queryClient.invalidateQueries({ queryKey: ['audit'] })
  ])
}
