import { useId } from 'react'
import type { EndedSession } from '@em-console/shared/schemas'
import { Badge, type Tone } from '../../../components/badge.tsx'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { auditHref } from '../../../lib/audit-link.ts'
import { displayDeviceName } from '../../../lib/device-names.ts'
import { formatShortDateTime } from '../../../lib/format.ts'
import { NOTHING } from '../../../components/nothing.tsx'
import { endedSessionsExportHref } from '../api/export-sessions.ts'
import { useEndedSessions, type EndedFilters } from '../api/get-session-history.ts'
import { END_REASON_LABELS, formatAge } from './session-format.ts'

const REASON_TONES: Record<EndedSession['endedBy'], Tone> = { 'em-console': 'info', 'auto-logout': 'neutral', replaced: 'neutral', 'not-seen': 'neutral' }

/** How a session ended, with who did it and the audit record when EM Console did. */
export function EndReason ({ session }: { session: EndedSession }) {
  return (
    <>
      <Badge tone={REASON_TONES[session.endedBy]}>{END_REASON_LABELS[session.endedBy]}</Badge>
      {/* Who, beside the badge's "Logged out by EM Console": "(demo)", not a second "by". */}
      {session.actor !== null && <span className='muted small'> ({session.actor})</span>}
      {session.auditId !== null && <> <a className='small' href={auditHref(session.auditId)}>#{session.auditId}</a></>}
    </>
  )
}

/** One ended session: its columns, and (narrow: on a phone, a laptop's 1,024 px) the same under its device. */
function EndedRow ({ session: s, clusterName }: { session: EndedSession, clusterName: ((cluster: string) => string) | undefined }) {
  const from = s.loginTime === null ? NOTHING : formatShortDateTime(s.loginTime)
  const to = formatShortDateTime(s.endedAt)
  const lasted = s.durationSeconds === null ? NOTHING : formatAge(s.durationSeconds * 1000)
  const where = [clusterName?.(s.cluster), s.devicePool].filter((part) => part !== undefined && part !== null).join(' · ')
  return (
    <tr>
      <th scope='row'>
        <span className='mono'>{displayDeviceName(s.deviceName)}</span>
        <span className='narrow-only'>{s.userId}</span>
        {where !== '' && <span className='narrow-only muted small'>{where}</span>}
        <span className='narrow-only small'>{from} to {to} ({lasted})</span>
        <span className='narrow-only'><EndReason session={s} /></span>
      </th>
      {clusterName !== undefined && <td className='cell-nowrap narrow-hidden'>{clusterName(s.cluster)}</td>}
      <td className='cell-nowrap narrow-hidden'>{s.userId}</td>
      <td className='cell-nowrap narrow-hidden'>{from}<br />to {to}</td>
      <td className='cell-nowrap narrow-hidden'>{lasted}</td>
      <td className='cell-nowrap narrow-hidden'>{s.devicePool ?? NOTHING}</td>
      <td className='narrow-hidden'><EndReason session={s} /></td>
    </tr>
  )
}

interface EndedSessionsProps {
  filters: EndedFilters
  /** With several clusters shown at once: a Cluster column, naming each session's. */
  clusterName?: ((cluster: string) => string) | undefined
}

/** The sessions that ended, latest first, with the Sessions screen's filters (CUCM keeps none of this). */
export function EndedSessions ({ filters, clusterName }: EndedSessionsProps) {
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
        <div className='table-wrap narrowable narrowable-wide'>
          <table className='table table-dense table-snug' aria-label='Ended sessions'>
            <thead>
              <tr>
                <th scope='col'>Device<span className='narrow-only'>User, {clusterName !== undefined && 'cluster, '}device pool, when (your time), how it ended</span></th>
                {clusterName !== undefined && <th scope='col' className='narrow-hidden'>Cluster</th>}
                <th scope='col' className='narrow-hidden'>User</th>
                <th scope='col' className='narrow-hidden'>When (your time)</th>
                <th scope='col' className='narrow-hidden'>For</th>
                <th scope='col' className='narrow-hidden'>Device pool</th>
                <th scope='col' className='narrow-hidden'>How it ended</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => <EndedRow key={s.id} session={s} clusterName={clusterName} />)}
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
