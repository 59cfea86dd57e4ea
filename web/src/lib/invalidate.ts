import type { QueryClient } from '@tanstack/react-query'

/**
 * After a login or logout: device states, the devices users are on and the audit trail may have
 * changed. Users' device profiles do not change, and re-reading them costs an EMAPI query each.
 */
export async function invalidateAfterAction (queryClient: QueryClient): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: ['devices'] }),
    queryClient.invalidateQueries({ queryKey: ['users'], predicate: (query) => query.queryKey[2] === 'devices' }),
    queryClient.invalidateQueries({ queryKey: ['audit'] })
  ])
}
