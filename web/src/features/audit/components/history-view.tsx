import { useId, useRef, useState } from 'react'
import type { AuditAction, AuditFilter, AuditOutcome, Trigger } from '@em-console/shared/schemas'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { useClusterScope } from '../../../lib/cluster.tsx'
import { focusFirstConnected } from '../../../lib/focus-keeper.ts'
import { DEVICE_FILTER, fieldProblem, SEARCH, USER_FILTER } from '@em-console/shared/field-rules'
import { ACTION_LABELS, AUDIT_ACTIONS, AUDIT_OUTCOMES, formatCount, OUTCOME_LABELS, plural, TRIGGER_LABELS, TRIGGERS } from '../../../lib/format.ts'
import { useAuditPage } from '../api/get-audit-page.ts'
import { auditExportHref } from '../api/export-audit-csv.ts'
import { AuditDetail } from './audit-detail.tsx'
import { AuditTable } from './audit-table.tsx'

/** The rows-per-page choices (GET /api/audit takes up to 500); the first is the default. */
export const PAGE_SIZES = [25, 50, 100] as const
export type PageSize = typeof PAGE_SIZES[number]
const REFRESH_MS = 10_000

/** The filter as the URL holds it: dates are YYYY-MM-DD in the admin's time zone. */
export interface HistoryParams {
  action: string
  outcome: string
  device: string
  user: string
  trigger: string
  /** A cluster id (two clusters or more); '' for any. */
  cluster: string
  from: string
  to: string
  /** Free text searched in devices, user, actor and message. */
  q: string
  /** The records of one run (a bulk run, a logout-all of several clusters, a look-up in chunks). */
  run: string
}

/**
 * The outcome filter's "failures": the Overview's count of them (several outcomes, Extension
 * Mobility's actions only; the API's `failed`), which its "Failures today" links to.
 */
const FAILED = 'failed'

export const EMPTY_HISTORY_PARAMS: HistoryParams = { action: '', outcome: '', device: '', user: '', trigger: '', cluster: '', from: '', to: '', q: '', run: '' }

function pick<T extends string> (list: readonly T[], value: string): T | undefined {
  return (list as readonly string[]).includes(value) ? value as T : undefined
}

/** Local midnight of a YYYY-MM-DD date, `plusDays` later, as ISO 8601. */
function dayStart (date: string, plusDays = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (match === null) return undefined
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + plusDays).toISOString()
}

/** What is wrong with a draft of the filters, by field (said under that field; nothing is asked meanwhile). */
function problemsOf (draft: HistoryParams): Partial<Record<'device' | 'user' | 'q' | 'to', string>> {
  return {
    device: fieldProblem(DEVICE_FILTER, draft.device.trim()),
    user: fieldProblem(USER_FILTER, draft.user.trim()),
    q: fieldProblem(SEARCH, draft.q.trim()),
    to: draft.from !== '' && draft.to !== '' && draft.to < draft.from ? 'To: a day on or after From.' : undefined
  }
}

function toAuditFilter (params: HistoryParams): AuditFilter {
  const filter: AuditFilter = {}
  const action = pick<AuditAction>(AUDIT_ACTIONS, params.action)
  const outcome = pick<AuditOutcome>(AUDIT_OUTCOMES, params.outcome)
  const trigger = pick<Trigger>(TRIGGERS, params.trigger)
  if (action !== undefined) filter.action = action
  if (outcome !== undefined) filter.outcome = outcome
  if (params.outcome === FAILED) filter.failed = true
  if (trigger !== undefined) filter.trigger = trigger
  if (params.device.trim() !== '') filter.device = params.device.trim()
  if (params.user.trim() !== '') filter.user = params.user.trim()
  if (params.q.trim() !== '') filter.q = params.q.trim()
  if (params.run.trim() !== '') filter.runId = params.run.trim()
  // The id as the URL has it; the server checks its shape (400 naming `cluster`).
  if (/^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/.test(params.cluster)) filter.cluster = params.cluster
  const from = dayStart(params.from)
  // The API's `to` is exclusive: the whole of the chosen last day is included.
  const to = dayStart(params.to, 1)
  if (from !== undefined) filter.from = from
  if (to !== undefined) filter.to = to
  return filter
}

interface HistoryViewProps {
  params: HistoryParams
  /** The cursors of the pages after the first (from the address, so a reload stays on the page). */
  cursors: string[]
  pageSize: PageSize
  selectedId: number | undefined
  onFilter: (params: HistoryParams) => void
  onPage: (cursors: string[]) => void
  onPageSize: (pageSize: PageSize) => void
  onSelect: (selectedId: number | undefined) => void
}

export function HistoryView ({ params, cursors, pageSize, selectedId, onFilter, onPage, onPageSize, onSelect }: HistoryViewProps) {
  const id = useId()
  const scope = useClusterScope()
  const [draft, setDraft] = useState(params)
  // A new filter (applied here, or from a link or Back) starts the form again from what it asks.
  // Adjusted, not mounted again: the focus stays on the field that applied it, an open record keeps its place.
  const paramsKey = JSON.stringify(params)
  const [draftFor, setDraftFor] = useState(paramsKey)
  if (draftFor !== paramsKey) {
    setDraftFor(paramsKey)
    setDraft(params)
  }
  const [autoRefresh, setAutoRefresh] = useState(true)
  const trailRef = useRef<HTMLElement>(null)
  const filter = toAuditFilter(params)
  const cursor = cursors.at(-1)
  const page = useAuditPage({ ...filter, limit: pageSize, ...(cursor === undefined ? {} : { cursor }) }, autoRefresh ? REFRESH_MS : false)
  const problems = problemsOf(draft)
  const tooLong = Object.values(problems).find((problem) => problem !== undefined)
  const invalid = (field: keyof typeof problems) => problems[field] === undefined
    ? {}
    : { 'aria-invalid': true, 'aria-describedby': `${id}-${field}-error` }
  const problemOf = (field: keyof typeof problems) => problems[field] !== undefined && <span id={`${id}-${field}-error`} className='field-error' role='alert'>{problems[field]}</span>

  /** Asks for `next`, unless something in it is wrong: then it stays a draft, its problems said under their fields. */
  function apply (next: HistoryParams) {
    setDraft(next)
    if (Object.values(problemsOf(next)).every((problem) => problem === undefined)) onFilter(next)
  }

  /** No filter; the focus goes to the first field, for the next search (Clear is disabled now). */
  function clear () {
    apply(EMPTY_HISTORY_PARAMS)
    document.getElementById(`${id}-q`)?.focus()
  }

  /** A choice (a list, a day) applies at once. */
  function select<K extends keyof HistoryParams> (key: K) {
    return (event: { target: { value: string } }) => apply({ ...draft, [key]: event.target.value })
  }

  /**
   * Closing a record gives the focus back to its row; one opened from elsewhere (a run's item) and
   * not on this page leaves it to the audit trail, not to the page's top.
   */
  function closeRecord () {
    const closed = selectedId
    onSelect(undefined)
    requestAnimationFrame(() => {
      const row = document.querySelector<HTMLElement>(`[data-audit-id="${String(closed)}"]`)
      focusFirstConnected([row, trailRef.current].filter((element) => element !== null))
    })
  }

  const filtered = Object.values(params).some((value) => value !== '')

  return (
    <>
      <section className='card' aria-labelledby='history-filters-title'>
        <header className='card-header'>
          <h2 id='history-filters-title'>Filters</h2>
          <a className='button button-ghost button-small' href={auditExportHref(filter)} download>Export CSV</a>
        </header>
        <form
          className='filter-grid'
          onSubmit={(event) => {
            event.preventDefault()
            if (tooLong === undefined) apply(draft)
          }}
        >
          <div className='field field-wide'>
            <label className='field-label' htmlFor={`${id}-q`}>Search</label>
            <input id={`${id}-q`} className='input' type='search' value={draft.q} onChange={(event) => setDraft({ ...draft, q: event.target.value })} placeholder='Whole words: device, user, who or message' spellCheck={false} autoComplete='off' {...invalid('q')} />
            {problemOf('q')}
          </div>
          <div className='field'>
            <label className='field-label' htmlFor={`${id}-action`}>Action</label>
            <select id={`${id}-action`} className='input' value={draft.action} onChange={select('action')}>
              <option value=''>Any action</option>
              {AUDIT_ACTIONS.map((a) => <option key={a} value={a}>{ACTION_LABELS[a]}</option>)}
            </select>
          </div>
          <div className='field'>
            <label className='field-label' htmlFor={`${id}-outcome`}>Outcome</label>
            <select id={`${id}-outcome`} className='input' value={draft.outcome} onChange={select('outcome')}>
              <option value=''>Any outcome</option>
              <option value={FAILED}>Failures (as the Overview counts)</option>
              {AUDIT_OUTCOMES.map((o) => <option key={o} value={o}>{OUTCOME_LABELS[o]}</option>)}
            </select>
          </div>
          <div className='field'>
            <label className='field-label' htmlFor={`${id}-trigger`}>Trigger</label>
            <select id={`${id}-trigger`} className='input' value={draft.trigger} onChange={select('trigger')}>
              <option value=''>Any trigger</option>
              {TRIGGERS.map((t) => <option key={t} value={t}>{TRIGGER_LABELS[t]}</option>)}
            </select>
          </div>
          {/* A cluster disabled since keeps its records: it stays choosable, as the table names it. */}
          {(scope.listed.length > 1 || draft.cluster !== '') && (
            <div className='field'>
              <label className='field-label' htmlFor={`${id}-cluster`}>Cluster</label>
              <select id={`${id}-cluster`} className='input' value={draft.cluster} onChange={select('cluster')}>
                <option value=''>Any cluster</option>
                {scope.listed.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
                {/* A link may name a cluster deleted since: it stays choosable, by its id. */}
                {draft.cluster !== '' && !scope.listed.some((c) => c.id === draft.cluster) && <option value={draft.cluster}>{draft.cluster}</option>}
              </select>
            </div>
          )}
          <div className='field'>
            <label className='field-label' htmlFor={`${id}-device`}>Device</label>
            <input id={`${id}-device`} className='input mono' value={draft.device} onChange={(event) => setDraft({ ...draft, device: event.target.value })} placeholder='SEP…' spellCheck={false} autoComplete='off' {...invalid('device')} />
            {problemOf('device')}
          </div>
          <div className='field'>
            <label className='field-label' htmlFor={`${id}-user`}>User</label>
            <input id={`${id}-user`} className='input' value={draft.user} onChange={(event) => setDraft({ ...draft, user: event.target.value })} placeholder='jdoe' spellCheck={false} autoComplete='off' {...invalid('user')} />
            {problemOf('user')}
          </div>
          {/* Set by a link from a run or a record; Clear takes it away with the rest. */}
          {params.run !== '' && (
            <div className='field'>
              <label className='field-label' htmlFor={`${id}-run`}>Run</label>
              <input id={`${id}-run`} className='input mono' value={draft.run} onChange={(event) => setDraft({ ...draft, run: event.target.value })} spellCheck={false} autoComplete='off' />
            </div>
          )}
          <div className='field'>
            <label className='field-label' htmlFor={`${id}-from`}>From</label>
            <input id={`${id}-from`} className='input' type='date' value={draft.from} onChange={select('from')} />
          </div>
          <div className='field'>
            <label className='field-label' htmlFor={`${id}-to`}>To</label>
            <input id={`${id}-to`} className='input' type='date' value={draft.to} onChange={select('to')} {...invalid('to')} />
            {problemOf('to')}
          </div>
          <div className='button-row button-row-end filter-actions'>
            <button type='submit' className='button button-primary' disabled={tooLong !== undefined}>Apply filters</button>
            <button type='button' className='button button-ghost' disabled={!filtered && JSON.stringify(draft) === paramsKey} onClick={clear}>Clear</button>
          </div>
        </form>
      </section>

      <div className={selectedId === undefined ? 'history-layout' : 'history-layout history-layout-detail'}>
        <section ref={trailRef} className='card' aria-labelledby='history-title'>
          <header className='card-header'>
            <h2 id='history-title'>Audit trail</h2>
            <label className='choice small'>
              <input type='checkbox' checked={autoRefresh} onChange={(event) => setAutoRefresh(event.target.checked)} />
              Auto-refresh
            </label>
          </header>
          {page.isPending && <p className='muted'>Loading…</p>}
          {page.isError && <ErrorNotice error={page.error} title='Could not load the audit trail' />}
          {page.data !== undefined && (
            <p className='summary' role='status'>
              {/* The server counts up to 10,000 matches: past that it says so rather than count for long. */}
              {page.data.totalIsLowerBound ? `${formatCount(page.data.total)}+ records` : plural(page.data.total, 'record')} {filtered ? (page.data.total === 1 && !page.data.totalIsLowerBound ? 'matches these filters' : 'match these filters') : 'in all'}
            </p>
          )}
          {page.data?.items.length === 0 && <p className='empty'>{filtered ? 'No records match these filters.' : 'No actions recorded yet.'}</p>}
          {page.data !== undefined && page.data.items.length > 0 && (
            <AuditTable items={page.data.items} selectedId={selectedId} compact={selectedId !== undefined} onSelect={onSelect} />
          )}
          <nav className='pager' aria-label='Pages'>
            <button type='button' className='button button-ghost button-small' disabled={cursors.length === 0} onClick={() => onPage(cursors.slice(0, -1))}>← Newer</button>
            <span className='table-filter'>
              <span className='muted small'>Page {cursors.length + 1}</span>
              <label className='field-label' htmlFor={`${id}-rows`}>Rows per page</label>
              <select id={`${id}-rows`} className='input input-compact' value={pageSize} onChange={(event) => onPageSize(Number(event.target.value) as PageSize)}>
                {PAGE_SIZES.map((size) => <option key={size} value={size}>{size}</option>)}
              </select>
            </span>
            <button
              type='button'
              className='button button-ghost button-small'
              disabled={page.data?.nextCursor == null || page.isPlaceholderData}
              onClick={() => { if (page.data?.nextCursor != null) onPage([...cursors, page.data.nextCursor]) }}
            >
              Older →
            </button>
          </nav>
        </section>
        {selectedId !== undefined && <AuditDetail key={selectedId} id={selectedId} user={filter.user} onClose={closeRecord} />}
      </div>
    </>
  )
}
