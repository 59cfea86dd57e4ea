import { useEffect, useRef } from 'react'
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InventoryStatus } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

export const inventoryQueryKey = ['inventory'] as const

export async function getInventory (signal?: AbortSignal): Promise<InventoryStatus> {
  return await apiRequest<InventoryStatus>('/api/inventory', { signal })
}

/**
 * The inventory's state per cluster; re-read every half minute, so "as of" and "refreshing" stay
 * true, and every two seconds while a cluster is being read (the one after a change ends sooner).
 */
export function inventoryQueryOptions () {
  return queryOptions({
    queryKey: inventoryQueryKey,
    queryFn: async ({ signal }) => await getInventory(signal),
    refetchInterval: (query) => query.state.data?.clusters.some((c) => c.state === 'refreshing') === true ? 2000 : 30_000
  })
}

export function useInventory () {
  return useQuery(inventoryQueryOptions())
}

/**
 * The sessions on screen are as fresh as the inventory: when a cluster's inventory has been read
 * again (its "as of" moves: a timed refresh, or the one that follows a change EM Console made),
 * every sessions view and session history reads again. Mounted once, by the layout.
 */
export function useSessionsFollowInventory (): void {
  const queryClient = useQueryClient()
  const inventory = useInventory()
  const asOf = (inventory.data?.clusters ?? []).map((c) => `${c.cluster}:${c.asOf ?? ''}`).join(',')
  // Undefined until the inventory's first answer, which the sessions asked at the same time match.
  const seen = useRef<string>(undefined)
  useEffect(() => {
    if (inventory.data === undefined || asOf === seen.current) return
    const readAgain = seen.current !== undefined
    seen.current = asOf
    if (readAgain) queryClient.invalidateQueries({ queryKey: ['sessions'] }).catch(() => {})
  }, [asOf, inventory.data, queryClient])
}

/** Refreshes every cluster's inventory from AXL and waits for it; then every sessions view reads again. */
export function useRefreshInventory () {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async () => await apiRequest<InventoryStatus>('/api/inventory/refresh?wait=true', { method: 'POST' }),
    onSuccess: async (status) => {
      queryClient.setQueryData(inventoryQueryKey, status)
      await queryClient.invalidateQueries({ queryKey: ['sessions'] })
    }
  })
}
