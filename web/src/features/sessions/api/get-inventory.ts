import { useEffect, useRef } from 'react'
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InventoryStatus } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

export const inventoryQueryKey = ['inventory'] as const

export async function getInventory (signal?: AbortSignal): Promise<InventoryStatus> {
  return await apiRequest<InventoryStatus>('/api/inventory', { signal })
}

/**
 * When to read the inventory's state again: every two seconds while a cluster is being read (the
 * one after a change ends sooner), else a moment after the next read the server has timed (the one
 * a change asked for comes up to half a minute after it), and at least every half minute, so "as
 * of" and "refreshing" stay true.
 */
function nextReadMs (status: InventoryStatus | undefined, now = Date.now()): number {
  if (status?.clusters.some((c) => c.state === 'refreshing') === true) return 2000
  const due = Math.min(...(status?.clusters ?? []).map((c) => c.nextRefreshAt === null ? Infinity : Date.parse(c.nextRefreshAt) - now + 1000))
  return Math.min(30_000, Math.max(2000, due))
}

export function inventoryQueryOptions () {
  return queryOptions({
    queryKey: inventoryQueryKey,
    queryFn: async ({ signal }) => await getInventory(signal),
    refetchInterval: (query) => nextReadMs(query.state.data)
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
