import { useMemo, useState } from 'react'
import { csvLine } from '@em-console/shared/rules'
import { formatCount } from '../lib/format.ts'

/*
 * Sorting, filtering, paging and CSV export for the tables of look-ups, previews and run items:
 * a few thousand rows at most (MAX_RUN_ITEMS), so plain arrays and one page of rows in the DOM.
 */

export type CellValue = string | number | null

export interface Column<T> {
  key: string
  label: string
  /** What the column sorts on and exports. */
  value: (row: T) => CellValue
  /** The header's class, e.g. `narrow-hidden` for a column a narrow table shows elsewhere. */
  className?: string
}

export interface SortState {
  key: string
  direction: 'ascending' | 'descending'
}

// Not numeric: device names are hex (SEP00AA… after SEP0011…), which "numeric" would misorder.
const collator = new Intl.Collator(undefined, { sensitivity: 'base' })

/** Empty cells go last whichever way the column sorts: the rows with something to say come first. */
function compare (a: CellValue, b: CellValue, direction: 1 | -1): number {
  if (a === b) return 0
  if (a === null || a === '') return 1
  if (b === null || b === '') return -1
  if (typeof a === 'number' && typeof b === 'number') return (a - b) * direction
  return collator.compare(String(a), String(b)) * direction
}

export const PAGE_SIZE = 100

export interface TableView<T> {
  /** The rows of the current page. */
  shown: T[]
  /** Every row that passes the filter, in sort order (what the CSV exports). */
  rows: T[]
  sort: SortState | undefined
  toggleSort: (key: string) => void
  page: number
  pageCount: number
  setPage: (page: number) => void
}

/**
 * `listed`: what the rows are (e.g. the keys of a look-up's devices). Another filter, or another
 * list, shows its first page, not the page the last one was on; the same list read again (after a
 * logout from it) keeps its page.
 */
export function useTableView<T> (all: readonly T[], columns: ReadonlyArray<Column<T>>, filter?: (row: T) => boolean, listed?: string): TableView<T> {
  const [sort, setSort] = useState<SortState>()
  const [page, setPage] = useState(0)
  const [pagedFor, setPagedFor] = useState({ filter, listed })
  if (pagedFor.filter !== filter || pagedFor.listed !== listed) {
    setPagedFor({ filter, listed })
    setPage(0)
  }
  const rows = useMemo(() => {
    const kept = filter === undefined ? [...all] : all.filter(filter)
    const column = columns.find((c) => c.key === sort?.key)
    if (column === undefined || sort === undefined) return kept
    const direction = sort.direction === 'ascending' ? 1 : -1
    // Array.prototype.sort is stable: equal values keep the order the server gave.
    return kept.sort((a, b) => compare(column.value(a), column.value(b), direction))
  }, [all, columns, filter, sort])
  const pageCount = Math.max(1, Math.ceil(rows.length / PAGE_SIZE))
  const current = Math.min(page, pageCount - 1)
  return {
    shown: rows.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE),
    rows,
    sort,
    toggleSort: (key) => {
      setSort(sort?.key === key && sort.direction === 'ascending' ? { key, direction: 'descending' } : { key, direction: 'ascending' })
      setPage(0)
    },
    page: current,
    pageCount,
    setPage
  }
}

/** A column header whose button, the whole cell, sorts the table by it; aria-sort tells which way. */
export function SortHeader<T> ({ column, view }: { column: Column<T>, view: TableView<T> }) {
  const direction = view.sort?.key === column.key ? view.sort.direction : undefined
  return (
    <th scope='col' className={column.className === undefined ? 'th-sort' : `${column.className} th-sort`} aria-sort={direction}>
      <button type='button' className='sort-button' onClick={() => view.toggleSort(column.key)}>
        {column.label}<span className='sort-mark' aria-hidden='true'>{direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : '↕'}</span>
      </button>
    </th>
  )
}

export interface FilterOption {
  value: string
  label: string
  count: number
}

/** "Show: All (12) / Failed only (3) / …": the filter of a table, with how many rows each choice keeps. */
export function FilterSelect ({ id, value, options, onChange }: { id: string, value: string, options: FilterOption[], onChange: (value: string) => void }) {
  return (
    <span className='table-filter'>
      <label className='field-label' htmlFor={id}>Show</label>
      <select id={id} className='input input-compact' value={value} onChange={(event) => onChange(event.target.value)}>
        {options.map((option) => <option key={option.value} value={option.value}>{option.label} ({formatCount(option.count)})</option>)}
      </select>
    </span>
  )
}

/**
 * Previous and next page, when the rows do not fit one. aria-disabled rather than disabled, as the
 * run page's pager: the first or last page reached by keyboard keeps the focus on the button
 * pressed (a disabled one drops it to the page's top, or out of a dialog), and the rows shown, a
 * status, tell a screen reader where it now is.
 */
export function TablePager<T> ({ view, noun }: { view: TableView<T>, noun: string }) {
  if (view.pageCount <= 1) return null
  const first = view.page * PAGE_SIZE + 1
  const last = Math.min(view.rows.length, (view.page + 1) * PAGE_SIZE)
  const atFirst = view.page === 0
  const atLast = view.page >= view.pageCount - 1
  return (
    <nav className='pager' aria-label={`Pages of ${noun}`}>
      <button type='button' className='button button-ghost button-small' aria-disabled={atFirst ? true : undefined} onClick={() => { if (!atFirst) view.setPage(view.page - 1) }}>← Previous</button>
      <span className='muted small' role='status'>{formatCount(first)}–{formatCount(last)} of {formatCount(view.rows.length)} {noun}</span>
      <button type='button' className='button button-ghost button-small' aria-disabled={atLast ? true : undefined} onClick={() => { if (!atLast) view.setPage(view.page + 1) }}>Next →</button>
    </nav>
  )
}

/** Downloads the rows as a CSV file (UTF-8 with a BOM, so spreadsheets read accents right). */
export function downloadCsv<T> (filename: string, columns: ReadonlyArray<Column<T>>, rows: readonly T[]): void {
  const text = [columns.map((c) => c.label), ...rows.map((row) => columns.map((c) => c.value(row)))].map(csvLine).join('')
  const blob = new Blob([`\uFEFF${text}`], { type: 'text/csv;charset=utf-8' })
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.append(link)
  link.click()
  link.remove()
  // The download has its own copy once started; the URL only holds the blob in memory.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
