import { useEffect, useMemo, useRef, type ReactNode } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { LiveSession, SessionSort, SortOrder } from '@em-console/shared/schemas'
import { displayDeviceName } from '../../../lib/device-names.ts'
import { formatShortDateTime } from '../../../lib/format.ts'
import { ageOf } from './session-format.ts'
import { NOTHING } from '../../../components/nothing.tsx'

const ROW_HEIGHT = 40
/** Rows asked for before the reader reaches the end of what is loaded. */
const PREFETCH_ROWS = 100

interface Column {
  key: string
  label: string
  /** The API's sort of this column (the two time columns sort the same way); none: not sortable. */
  sort?: SessionSort
  className: string
  cell: (session: LiveSession, now: number) => ReactNode
  /** The cell's whole text, shown on hover: a long value is cut at the column's width. */
  text?: (session: LiveSession) => string | null
}

/** A cell's hover text: its whole value, none when it has none. */
function hoverText (column: Column, session: LiveSession): string | undefined {
  const text = column.text?.(session)
  return text === null || text === '' ? undefined : text
}

const COLUMNS: Column[] = [
  { key: 'device', label: 'Device', sort: 'device', className: 'vcell-device mono', text: (s) => displayDeviceName(s.deviceName), cell: (s) => <a href={`#/devices?names=${encodeURIComponent(s.deviceName)}`}>{displayDeviceName(s.deviceName)}</a> },
  { key: 'user', label: 'User', sort: 'user', className: 'vcell-user', text: (s) => s.userId, cell: (s) => <a href={`#/users?user=${encodeURIComponent(s.userId)}`}>{s.userId}</a> },
  { key: 'since', label: 'Logged in since', sort: 'loginTime', className: 'vcell-time', cell: (s) => s.loginTime === null ? NOTHING : <time dateTime={s.loginTime}>{formatShortDateTime(s.loginTime)}</time> },
  { key: 'for', label: 'For', sort: 'loginTime', className: 'vcell-age', cell: (s, now) => s.loginTime === null ? NOTHING : ageOf(s.loginTime, now) },
  { key: 'auto', label: 'Auto logout', sort: 'autoLogoutAt', className: 'vcell-time', cell: (s) => s.autoLogoutAt === null ? NOTHING : <time dateTime={s.autoLogoutAt}>{formatShortDateTime(s.autoLogoutAt)}</time> },
  { key: 'pool', label: 'Device pool', sort: 'devicePool', className: 'vcell-pool', text: (s) => s.devicePool, cell: (s) => s.devicePool ?? NOTHING },
  { key: 'model', label: 'Model', sort: 'model', className: 'vcell-model', text: (s) => s.model, cell: (s) => s.model ?? NOTHING },
  { key: 'profile', label: 'Profile', sort: 'profile', className: 'vcell-profile', text: (s) => s.profile, cell: (s) => s.profile ?? NOTHING },
  { key: 'description', label: 'Description', sort: 'description', className: 'vcell-description', text: (s) => s.description, cell: (s) => s.description === '' ? NOTHING : s.description }
]

/** One session's identity, as selections hold it. */
export function sessionKey (session: LiveSession): string {
  return `${session.cluster}\u0000${session.deviceName}`
}

interface SessionsTableProps {
  rows: LiveSession[]
  /** Every matching session, loaded or not: the table is as tall as all of them. */
  total: number
  hasMore: boolean
  loadMore: () => void
  sort: SessionSort
  order: SortOrder
  onSort: (sort: SessionSort, order: SortOrder) => void
  now: number
  /** With several clusters shown at once: a Cluster column, naming each session's. */
  clusterName?: (cluster: string) => string
  /** Selection; absent for viewers, who cannot log anyone out. */
  selected?: ReadonlyMap<string, unknown>
  onToggle?: (session: LiveSession) => void
  onToggleLoaded?: (select: boolean) => void
}

/**
 * The live sessions as a table that renders only the rows on screen (20,000 rows scroll like 20),
 * with ARIA table roles on plain elements: rows are placed absolutely, which a <table> cannot do.
 * The rows not loaded yet show as placeholders and are fetched as the reader gets near them.
 */
export function SessionsTable ({ rows, total, hasMore, loadMore, sort, order, onSort, now, clusterName, selected, onToggle, onToggleLoaded }: SessionsTableProps) {
  const columns = useMemo(() => clusterName === undefined
    ? COLUMNS
    : [COLUMNS[0] as Column, { key: 'cluster', label: 'Cluster', className: 'vcell-cluster', text: (s: LiveSession) => clusterName(s.cluster), cell: (s: LiveSession) => clusterName(s.cluster) }, ...COLUMNS.slice(1)], [clusterName])
  const scrollRef = useRef<HTMLDivElement>(null)
  const count = hasMore ? Math.max(total, rows.length + 1) : rows.length
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 })
  const items = virtualizer.getVirtualItems()
  const lastIndex = items.at(-1)?.index ?? 0
  useEffect(() => {
    if (hasMore && lastIndex >= rows.length - PREFETCH_ROWS) loadMore()
  }, [hasMore, lastIndex, rows.length, loadMore])
  // A new filter or sort starts at the top.
  useEffect(() => { scrollRef.current?.scrollTo({ top: 0 }) }, [sort, order, total])

  const selecting = selected !== undefined
  const loadedSelected = selecting ? rows.filter((s) => selected.has(sessionKey(s))).length : 0
  const allLoaded = rows.length > 0 && loadedSelected === rows.length

  return (
    <div className='vtable-wrap'>
      <div role='table' aria-label='Sessions logged in now' aria-rowcount={count + 1} className={selecting ? 'vtable vtable-selectable' : 'vtable'}>
        <div role='rowgroup' className='vtable-head'>
          <div role='row' aria-rowindex={1} className='vrow'>
            {selecting && (
              <div role='columnheader' className='vcell vcell-check'>
                <input
                  type='checkbox'
                  checked={allLoaded}
                  ref={(box) => { if (box !== null) box.indeterminate = loadedSelected > 0 && !allLoaded }}
                  onChange={(event) => onToggleLoaded?.(event.target.checked)}
                  aria-label={`Select the ${rows.length} loaded sessions`}
                  disabled={rows.length === 0}
                />
              </div>
            )}
            {columns.map((column) => {
              const columnSort = column.sort
              if (columnSort === undefined) return <div key={column.key} role='columnheader' className={`vcell ${column.className}`}>{column.label}</div>
              const active = columnSort === sort && (column.key !== 'for' || sort !== 'loginTime')
              const direction = columnSort === sort ? (order === 'asc' ? 'ascending' : 'descending') : undefined
              return (
                <div key={column.key} role='columnheader' aria-sort={active ? direction : undefined} className={`vcell vcell-sort ${column.className}`}>
                  <button
                    type='button'
                    className='sort-button'
                    onClick={() => onSort(columnSort, columnSort === sort && order === 'asc' ? 'desc' : 'asc')}
                  >
                    {column.label}
                    {active && <span className='sort-mark' aria-hidden='true'>{order === 'asc' ? '▲' : '▼'}</span>}
                  </button>
                </div>
              )
            })}
          </div>
        </div>
        <div ref={scrollRef} role='rowgroup' className='vtable-body' tabIndex={0} aria-label='Sessions, scroll for more'>
          <div role='presentation' className='vtable-space' style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const session = rows[item.index]
              const style = { transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }
              if (session === undefined) {
                return (
                  <div key={`loading-${item.index}`} role='row' aria-rowindex={item.index + 2} aria-busy='true' className='vrow vrow-loading' style={style}>
                    <div role='cell' className='vcell muted'>Loading…</div>
                  </div>
                )
              }
              const key = sessionKey(session)
              const isSelected = selected?.has(key) === true
              return (
                <div key={key} role='row' aria-rowindex={item.index + 2} className={isSelected ? 'vrow row-selected' : 'vrow'} style={style} data-session-row>
                  {selecting && (
                    <div role='cell' className='vcell vcell-check'>
                      <input type='checkbox' checked={isSelected} onChange={() => onToggle?.(session)} aria-label={`Select ${displayDeviceName(session.deviceName)} (${session.userId})`} />
                    </div>
                  )}
                  {columns.map((column) => <div key={column.key} role='cell' className={`vcell ${column.className}`} title={hoverText(column, session)}>{column.cell(session, now)}</div>)}
                </div>
              )
            })}
          </div>
        </div>
      </div>
    </div>
  )
}
