import { useId } from 'react'
import type { EndedSession } from '@em-console/shared/schemas'
import { Badge, type Tone } from '../../../components/badge.tsx'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { auditHref } from '../../../lib/audit-link.ts'
import { displayDeviceName } from '../../../lib/device-names.ts'
import { formatShortDateTime } from '../../../lib/format.ts'
import { endedSessionsExportHref } from '../api/export-sessions.ts'
import { useEndedSessions, type EndedFilters } from '../api/get-session-history.ts'
import { END_REASON_LABELS, formatAge } from './session-format.ts'

const REASON_TONES: Record<EndedSession['endedBy'], Tone> = { 'em-console': 'info', 'auto-logout': 'neutral', replaced: 'neutral', 'not-seen': 'neutral' }

/** How a session ended, with who did it and the audit record when EM Console did. */
export function EndReason ({ session }: { session: EndedSession }) {
  return (
    <>
      <Badge tone={REASON_TONES[session.endedBy]}>{END_REASON_LABELS[session.endedBy]}</Badge>
      {session.actor !== null && <span className='muted small'> by {session.actor}</span>}
      {session.auditId !== null && <> <a className='small' href={auditHref(session.auditId)}>#{session.auditId}</a></>}
    </>
  )
}

/** The sessions that ended, latest first, with the Sessions screen's filters (CUCM keeps none of this). */
export function EndedSessions ({ filters }: { filters: EndedFilters }) {
  const id = useId()
  const ended = useEndedSessions(filters)
  const sessions = ended.data?.pages.flatMap((p) => p.sessions) ?? []
  const keptDays = ended.data?.pages[0]?.keptDays
  return (
    <section className='card' aria-labelledby={`${id}-title`}>
      <header className='card-header'>
        <h2 id={`${id}-title`}>Ended sessions</h2>
        {keptDays !== undefined && <span className='muted small'>Kept {keptDays} days</span>}
        {sessions.length > 0 && <a className='button button-ghost button-small' href={endedSessionsExportHref(filters)} download aria-label='Export CSV of the ended sessions'>Export CSV</a>}
      </header>
      {ended.isError && <ErrorNotice error={ended.error} title='Could not read the ended sessions' />}
      {ended.data !== undefined && sessions.length === 0 && <p className='empty'>No ended session matches, yet: a session appears here once a refresh no longer sees it.</p>}
      {sessions.length > 0 && (
        <div className='table-wrap'>
          <table className='table table-dense' aria-label='Ended sessions'>
            <thead>
              <tr>
                <th scope='col'>Device</th>
                <th scope='col'>User</th>
                <th scope='col'>From (your time)</th>
                <th scope='col'>To (your time)</th>
                <th scope='col'>For</th>
                <th scope='col'>Device pool</th>
                <th scope='col'>How it ended</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id}>
                  <th scope='row' className='mono'>{displayDeviceName(s.deviceName)}</th>
                  <td className='cell-nowrap'>{s.userId}</td>
                  <td className='cell-nowrap'>{s.loginTime === null ? '—' : formatShortDateTime(s.loginTime)}</td>
                  <td className='cell-nowrap'>{formatShortDateTime(s.endedAt)}</td>
                  <td className='cell-nowrap'>{s.durationSeconds === null ? '—' : formatAge(s.durationSeconds * 1000)}</td>
                  <td className='cell-nowrap'>{s.devicePool ?? '—'}</td>
                  <td><EndReason session={s} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {ended.hasNextPage && (
        <div className='button-row button-row-start'>
          <button type='button' className='button button-ghost button-small' onClick={() => { ended.fetchNextPage().catch(() => {}) }} disabled={ended.isFetchingNextPage}>
            {ended.isFetchingNextPage ? 'Loading…' : 'Show more'}
          </button>
        </div>
      )}
    </section>
  )
}
