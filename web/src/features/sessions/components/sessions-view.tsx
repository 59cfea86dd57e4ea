import { useCallback, useEffect, useId, useMemo, useState } from 'react'
import { INVENTORY_DEVICE_FILTER, SEARCH, USER_FILTER } from '@em-console/shared/field-rules'
import { MAX_SESSION_AGE_HOURS } from '@em-console/shared/rules'
import type { LiveSession, SessionFilters, SessionSort, SortOrder } from '@em-console/shared/schemas'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { useHasRole } from '../../../lib/authorization.tsx'
import { clusterLabel, useClusterScope } from '../../../lib/cluster.tsx'
import { browserTimeZone, formatCount, plural } from '../../../lib/format.ts'
import { useDebounced } from '../../../lib/use-debounced.ts'
import { useInventory } from '../api/get-inventory.ts'
import { sessionsExportHref } from '../api/export-sessions.ts'
import { useSessionSummary } from '../api/get-session-summary.ts'
import { useSessionPages } from '../api/get-sessions.ts'
import { EndedSessions } from './ended-sessions.tsx'
import { InventoryStatusBar } from './inventory-status.tsx'
import { LogoutSessionsDialog, type LogoutSource } from './logout-sessions-dialog.tsx'
import { AGE_CHIPS } from './session-format.ts'
import { sessionKey, SessionsTable } from './sessions-table.tsx'
import { useNow } from '../../../lib/use-now.ts'

const SORTS: readonly SessionSort[] = ['loginTime', 'device', 'user', 'devicePool', 'model', 'profile', 'autoLogoutAt', 'description']

/** What the address holds: the filters and sort, so a view survives a reload and can be linked to. */
export interface SessionsParams {
  q?: string
  user?: string
  device?: string
  pools?: string
  older?: string
  sort?: string
  order?: string
}

function filtersOf (params: SessionsParams): SessionFilters {
  const filters: SessionFilters = {}
  if (params.q !== undefined && params.q.trim() !== '') filters.q = params.q.trim()
  if (params.user !== undefined && params.user.trim() !== '') filters.user = params.user.trim()
  if (params.device !== undefined && params.device.trim() !== '') filters.device = params.device.trim()
  const pools = (params.pools ?? '').split(',').filter((p) => p !== '')
  if (pools.length > 0) filters.devicePool = pools
  const older = olderThanHours(params.older)
  if (older !== undefined) filters.olderThanHours = older
  return filters
}

/** The hours typed, when they are an age the API takes; none when empty or not one. */
function olderThanHours (typed: string | undefined): number | undefined {
  const hours = Number(typed)
  return typed !== undefined && typed !== '' && hours > 0 && hours <= MAX_SESSION_AGE_HOURS ? hours : undefined
}

const HOURS_PROBLEM = `Hours: more than 0 and at most ${formatCount(MAX_SESSION_AGE_HOURS)} (ten years).`

interface SessionsViewProps {
  params: SessionsParams
  onChange: (params: SessionsParams) => void
}

/** The cluster of every session given, when they share one (a run then acts on that cluster only). */
function oneCluster (sessions: ReadonlyArray<{ cluster: string }>): string | undefined {
  const clusters = new Set(sessions.map((s) => s.cluster.toLowerCase()))
  return clusters.size === 1 ? sessions[0]?.cluster : undefined
}

/** The Sessions screen: who is logged in now, filtered, sorted, selected and logged out. */
export function SessionsView ({ params, onChange }: SessionsViewProps) {
  const id = useId()
  const now = useNow()
  const canOperate = useHasRole('operator')
  const inventory = useInventory()
  // The cluster picked in the header is a filter like the others (the screen's own are in the address).
  const scope = useClusterScope()
  const typedFilters = useMemo(() => filtersOf(params), [params])
  // Both tables name each row's cluster when they show several clusters' rows.
  const clusterColumn = scope.several && scope.param === undefined ? (cluster: string) => clusterLabel(scope.clusters, cluster) : undefined
  const filters = useMemo((): SessionFilters => scope.param === undefined ? typedFilters : { ...typedFilters, cluster: scope.param }, [typedFilters, scope.param])
  const sort: SessionSort = SORTS.includes(params.sort as SessionSort) ? params.sort as SessionSort : 'loginTime'
  const order: SortOrder = params.order === 'desc' ? 'desc' : 'asc'
  const query = useMemo(() => ({ filters, sort, order }), [filters, sort, order])
  const pages = useSessionPages(query)
  // Counts per pool with every other filter applied: what choosing that pool would show.
  const withoutPools = useMemo(() => ({ ...filters, devicePool: undefined }), [filters])
  const poolCounts = useSessionSummary(withoutPools)
  const [selected, setSelected] = useState<Map<string, LiveSession>>(() => new Map())
  const [logout, setLogout] = useState<LogoutSource>()

  // Typed filters reach the address (and the API) once typing pauses.
  const addressText = { q: params.q ?? '', user: params.user ?? '', device: params.device ?? '' }
  const [text, setText] = useState(addressText)
  const typed = useDebounced(text, 300)
  // An address from elsewhere (the menu's Sessions, a link) puts its filters in the fields, or they
  // would show a filter the list no longer has. The address taking what was typed changes nothing
  // here, so what was typed since stays.
  const addressKey = JSON.stringify(addressText)
  const [textFor, setTextFor] = useState(addressKey)
  if (textFor !== addressKey) {
    setTextFor(addressKey)
    if (addressKey !== JSON.stringify(typed)) setText(addressText)
  }
  useEffect(() => {
    if (typed.q !== (params.q ?? '') || typed.user !== (params.user ?? '') || typed.device !== (params.device ?? '')) onChange({ ...params, ...typed })
    // Only what was typed triggers this; the other params are read as they are then.
  }, [typed])

  const rows = useMemo(() => pages.data?.pages.flatMap((p) => p.sessions) ?? [], [pages.data])
  const total = pages.data?.pages[0]?.total ?? 0
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) fetchNextPage().catch(() => {})
  }, [hasNextPage, isFetchingNextPage, fetchNextPage])

  // A new filter (or another cluster in the header) starts a new selection: a selection of rows no
  // longer shown would be logged out unseen.
  useEffect(() => { setSelected(new Map()) }, [filters])
  const chosenPools = filters.devicePool ?? []
  // A pool is filtered by its name on every cluster shown: one name on several clusters (CUCM's
  // "Default" is on each) says how many sessions each has, so a logout of it does not surprise.
  const pools = useMemo(() => {
    const byName = new Map<string, Map<string, number>>()
    for (const p of poolCounts.data?.devicePools ?? []) {
      const name = p.devicePool ?? ''
      const clusters = byName.get(name) ?? new Map<string, number>()
      clusters.set(p.cluster, (clusters.get(p.cluster) ?? 0) + p.sessions)
      byName.set(name, clusters)
    }
    for (const chosen of chosenPools) if (!byName.has(chosen)) byName.set(chosen, new Map())
    return [...byName.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([pool, clusters]): [string, number, string] => {
      const count = [...clusters.values()].reduce((sum, n) => sum + n, 0)
      const split = clusters.size > 1 ? `: ${[...clusters].map(([cluster, n]) => `${clusterLabel(scope.clusters, cluster)} ${formatCount(n)}`).join(', ')}` : ''
      return [pool, count, split]
    })
  }, [poolCounts.data, chosenPools, scope.clusters])

  /**
   * The cluster every matching session is on, when they share one: the header's pick, or else the
   * only cluster that has sessions in the pools chosen (or in any pool), as the pool counts say.
   */
  function matchingCluster (): string | undefined {
    if (filters.cluster !== undefined) return filters.cluster
    if (poolCounts.data === undefined || poolCounts.isPlaceholderData) return undefined
    return oneCluster(poolCounts.data.devicePools.filter((p) => p.sessions > 0 && (chosenPools.length === 0 || chosenPools.includes(p.devicePool ?? ''))))
  }

  /** No filter; the button goes with them, so the focus moves to the first field, Search, for the next one. */
  function clearFilters (): void {
    setText({ q: '', user: '', device: '' })
    onChange({ sort: params.sort, order: params.order })
    document.getElementById(`${id}-q`)?.focus()
  }

  function setPools (next: string[]): void {
    onChange({ ...params, pools: next.join(',') })
  }

  function toggle (session: LiveSession): void {
    setSelected((current) => {
      const next = new Map(current)
      const key = sessionKey(session)
      if (next.has(key)) next.delete(key)
      else next.set(key, session)
      return next
    })
  }

  function toggleLoaded (select: boolean): void {
    setSelected(select ? new Map(rows.map((s) => [sessionKey(s), s])) : new Map())
  }

  const status = inventory.data
  const notConfigured = status !== undefined && status.clusters.every((c) => c.state === 'not-configured')
  const older = filters.olderThanHours
  // Typed but not an age ("-5", "0"): said under the field, rather than filtering on nothing unseen.
  const hoursProblem = params.older !== undefined && params.older !== '' && older === undefined ? HOURS_PROBLEM : undefined

  return (
    <div className='stack'>
      <InventoryStatusBar inventory={status} />
      {inventory.isError && <ErrorNotice error={inventory.error} title='Could not read the state of the inventory' />}
      {!notConfigured && (
        <>
          <section className='card' aria-labelledby={`${id}-filters`}>
            <header className='card-header'>
              <h2 id={`${id}-filters`}>Filters</h2>
              {(Object.keys(typedFilters).length > 0 || hoursProblem !== undefined) && (
                <button type='button' className='link-button' onClick={clearFilters}>Clear filters</button>
              )}
            </header>
            <div className='chip-row' role='group' aria-label='Logged in for'>
              <button type='button' className='chip' aria-pressed={older === undefined} onClick={() => onChange({ ...params, older: undefined })}>Any time</button>
              {AGE_CHIPS.map((chip) => (
                <button key={chip.hours} type='button' className='chip' aria-pressed={older === chip.hours} onClick={() => onChange({ ...params, older: older === chip.hours ? undefined : String(chip.hours) })}>{chip.label}</button>
              ))}
            </div>
            <div className='filter-grid sessions-filters'>
              <label className='field'>
                <span className='field-label'>Search</span>
                <input id={`${id}-q`} className='input' type='search' value={text.q} onChange={(event) => setText({ ...text, q: event.target.value })} placeholder='Device, user, profile, description' maxLength={SEARCH.maxLength} />
              </label>
              <label className='field'>
                <span className='field-label'>User ID starts with</span>
                <input className='input' value={text.user} onChange={(event) => setText({ ...text, user: event.target.value })} spellCheck={false} autoComplete='off' maxLength={USER_FILTER.maxLength} />
              </label>
              <label className='field'>
                <span className='field-label'>Device starts with</span>
                <input className='input mono' value={text.device} onChange={(event) => setText({ ...text, device: event.target.value })} spellCheck={false} autoComplete='off' maxLength={INVENTORY_DEVICE_FILTER.maxLength} />
              </label>
              <div className='field'>
                <label className='field-label' htmlFor={`${id}-hours`}>Logged in for more than (hours)</label>
                <input
                  id={`${id}-hours`}
                  className='input input-narrow'
                  type='number'
                  min={0}
                  max={MAX_SESSION_AGE_HOURS}
                  step='any'
                  value={params.older ?? ''}
                  onChange={(event) => onChange({ ...params, older: event.target.value })}
                  aria-invalid={hoursProblem !== undefined ? true : undefined}
                  aria-describedby={hoursProblem !== undefined ? `${id}-hours-error` : undefined}
                />
                {hoursProblem !== undefined && <span id={`${id}-hours-error`} className='field-error' role='alert'>{hoursProblem}</span>}
              </div>
            </div>
            <fieldset className='fieldset pool-filter'>
              <legend className='field-label'>Device pools</legend>
              {pools.length === 0 && <p className='muted small'>{poolCounts.isPending ? 'Counting…' : 'No session to count.'}</p>}
              <div className='pool-list'>
                {pools.map(([pool, count, split]) => (
                  <label key={pool} className='choice pool-choice'>
                    <input type='checkbox' checked={chosenPools.includes(pool)} onChange={(event) => setPools(event.target.checked ? [...chosenPools, pool] : chosenPools.filter((p) => p !== pool))} disabled={pool === ''} />
                    <span>{pool === '' ? '(no pool)' : pool}</span> <span className='muted'>({formatCount(count)}{split})</span>
                  </label>
                ))}
              </div>
            </fieldset>
          </section>

          <section className='card' aria-labelledby={`${id}-sessions`}>
            <header className='card-header'>
              <h2 id={`${id}-sessions`}>Logged in now{scope.current !== undefined && ` on ${scope.current.name}`}</h2>
              <span className='muted small' role='status' data-sessions-total>
                {pages.isPending ? 'Loading…' : `${formatCount(total)} ${total === 1 ? 'session matches' : 'sessions match'}`}
              </span>
            </header>
            <div className='table-toolbar'>
              <div className='button-row button-row-start'>
                {canOperate && (
                  <>
                    <button type='button' className='button button-danger button-small' disabled={selected.size === 0} onClick={() => setLogout({ kind: 'selected', sessions: [...selected.values()].map((s) => ({ device: s.deviceName, cluster: s.cluster, user: s.userId })), cluster: oneCluster([...selected.values()]) })}>
                      Log out selected ({formatCount(selected.size)})
                    </button>
                    <button type='button' className='button button-small' disabled={total === 0} onClick={() => setLogout({ kind: 'matching', filters, total, cluster: matchingCluster() })}>
                      Log out all {formatCount(total)} matching
                    </button>
                    {selected.size > 0 && <button type='button' className='link-button small' onClick={() => setSelected(new Map())}>Clear selection</button>}
                  </>
                )}
              </div>
              <a className='button button-ghost button-small' href={sessionsExportHref(filters, sort, order)} download>Export CSV</a>
            </div>
            {pages.isError && <ErrorNotice error={pages.error} title='Could not read the sessions' />}
            {pages.data !== undefined && total === 0 && <p className='empty'>{Object.keys(filters).length > 0 ? 'No session matches these filters.' : 'Nobody is logged in, as of the last refresh.'}</p>}
            {total > 0 && (
              <SessionsTable
                rows={rows}
                total={total}
                hasMore={hasNextPage}
                loadMore={loadMore}
                sort={sort}
                order={order}
                onSort={(nextSort, nextOrder) => onChange({ ...params, sort: nextSort, order: nextOrder })}
                now={now}
                {...(clusterColumn !== undefined ? { clusterName: clusterColumn } : {})}
                {...(canOperate ? { selected, onToggle: toggle, onToggleLoaded: toggleLoaded } : {})}
              />
            )}
            {total > 0 && <p className='muted small'>Times are your time ({browserTimeZone()}).</p>}
            {selected.size > 0 && (
              <p className='muted small' role='status'>
                {plural(selected.size, 'session')} selected.
                {selected.size < total && ` The box in the header selects the sessions loaded so far; "Log out all ${formatCount(total)} matching" takes every one.`}
              </p>
            )}
          </section>

          <EndedSessions filters={{ cluster: filters.cluster, devicePool: filters.devicePool, user: filters.user, device: filters.device, q: filters.q }} clusterName={clusterColumn} />
          <LogoutSessionsDialog source={logout} clusterName={(cluster) => clusterLabel(scope.clusters, cluster)} onClose={() => { setLogout(undefined) }} />
        </>
      )}
    </div>
  )
}
