import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'
import { clusterText } from '@em-console/shared/display'

/*
 * Which cluster the dashboard looks at (issue #17): all of them, or one, chosen in the header's
 * picker and remembered per browser. Features read it with useClusterScope() and add
 * `?cluster=<param>` to their API calls when `param` is set; with one cluster there is nothing to
 * choose and `param` stays undefined, so the dashboard asks exactly what it asked before clusters.
 */

export interface ClusterOption {
  id: string
  name: string
}

/** `all`, or a cluster id. */
export type ClusterSelection = string

export const ALL_CLUSTERS = 'all'
const STORAGE_KEY = 'em-console-cluster'

export interface ClusterScope {
  /** The usable clusters, the first (the environment's) first; empty until known. */
  clusters: ClusterOption[]
  /** Whether the server has said which clusters there are (or could not): until then `several` may be wrong. */
  known: boolean
  /** Two or more: the picker shows and tables may show a Cluster column. */
  several: boolean
  selected: ClusterSelection
  select: (selection: ClusterSelection) => void
  /** The `cluster` query parameter for API calls: the chosen id, or undefined for all (or when there is one). */
  param: string | undefined
  /** The chosen cluster, when one is. */
  current: ClusterOption | undefined
  /** Every cluster the server lists, disabled or unusable ones too: History's records still name them. */
  listed: ClusterOption[]
  /** The cluster this browser chose, listed but disabled or unusable now: every cluster is shown instead, and the page says so. */
  unusable: ClusterOption | undefined
}

const ClusterContext = createContext<ClusterScope | undefined>(undefined)

function stored (): ClusterSelection {
  try {
    return window.localStorage.getItem(STORAGE_KEY) ?? ALL_CLUSTERS
  } catch {
    // Storage may be off (private mode, policies): the choice then lasts as long as the page.
    return ALL_CLUSTERS
  }
}

export function ClusterScopeProvider ({ clusters, listed, known, children }: { clusters: ClusterOption[], listed: ClusterOption[], known: boolean, children: ReactNode }) {
  const [chosen, setChosen] = useState<ClusterSelection>(stored)
  const select = useCallback((selection: ClusterSelection) => {
    setChosen(selection)
    try {
      window.localStorage.setItem(STORAGE_KEY, selection)
    } catch {}
  }, [])
  const value = useMemo((): ClusterScope => {
    const several = clusters.length > 1
    // A remembered cluster that was deleted or disabled since falls back to all; one still listed
    // (disabled, or its settings in trouble) is named, so all is not taken for the one chosen.
    const named = (c: ClusterOption): boolean => c.id.toLowerCase() === chosen.toLowerCase()
    const current = several ? clusters.find(named) : undefined
    const unusable = several && current === undefined && chosen !== ALL_CLUSTERS ? listed.find(named) : undefined
    return { clusters, known, several, selected: current?.id ?? ALL_CLUSTERS, select, param: current?.id, current, listed, unusable }
  }, [clusters, listed, known, chosen, select])
  return <ClusterContext.Provider value={value}>{children}</ClusterContext.Provider>
}

const NONE: ClusterScope = { clusters: [], known: true, several: false, selected: ALL_CLUSTERS, select: () => {}, param: undefined, current: undefined, listed: [], unusable: undefined }

/** How a table names a cluster: as the server's words do (clusterText: its display name, with its id when another has that name; a deleted one by its id); a dash for none. */
export function clusterLabel (clusters: ClusterOption[], id: string | null | undefined): string {
  if (id === null || id === undefined) return '—'
  return clusterText(id, clusters)
}

/** The cluster scope; outside a provider (sign-in page, tests) the single-cluster default. */
export function useClusterScope (): ClusterScope {
  return useContext(ClusterContext) ?? NONE
}
