import { useId } from 'react'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { displayDeviceName } from '../../../lib/device-names.ts'
import { formatDateTime } from '../../../lib/format.ts'
import { useSessionHistory, type HistorySubject } from '../api/get-session-history.ts'
import { useUserSessions } from '../api/get-user-sessions.ts'
import { EndReason } from './ended-sessions.tsx'
import { ageOf, formatAge } from './session-format.ts'
import { useNow } from '../../../lib/use-now.ts'

/**
 * Who used a device, or where a user was logged in, and when: the session history the inventory
 * keeps (CUCM itself forgets a session at logout), latest first.
 */
export function SessionTimeline ({ subject }: { subject: HistorySubject }) {
  const id = useId()
  const history = useSessionHistory(subject)
  const byDevice = 'device' in subject
  const name = byDevice ? displayDeviceName(subject.device) : subject.user
  const sessions = history.data?.sessions ?? []
  return (
    <section className='card' aria-labelledby={`${id}-title`}>
      <header className='card-header'>
        <h2 id={`${id}-title`}>Session history of {name}</h2>
        {history.data !== undefined && <span className='muted small'>Kept {history.data.keptDays} days</span>}
      </header>
      {history.isError && <ErrorNotice error={history.error} title='Could not read the session history' compact />}
      {history.data !== undefined && sessions.length === 0 && <p className='empty'>No ended session of {name} is recorded (the history starts with the inventory).</p>}
      {sessions.length > 0 && (
        <ol className='timeline' aria-label={`Sessions of ${name}`}>
          {sessions.map((s) => (
            <li key={s.id} className='timeline-item'>
              <p className='timeline-what'>
                <strong className={byDevice ? undefined : 'mono'}>{byDevice ? s.userId : displayDeviceName(s.deviceName)}</strong>
                {s.devicePool !== null && <span className='muted'> · {s.devicePool}</span>}
                {s.durationSeconds !== null && <span className='muted'> · {formatAge(s.durationSeconds * 1000)}</span>}
              </p>
              <p className='small'>
                {s.loginTime === null ? 'Since an unknown time' : formatDateTime(s.loginTime)} → {formatDateTime(s.endedAt)}
              </p>
              <p className='small'><EndReason session={s} /></p>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}

/** What the inventory knows of a user's session on one device: since when, profile, pool, model. */
export function SessionFacts ({ userId, deviceName }: { userId: string, deviceName: string }) {
  const now = useNow()
  const current = useUserSessions(userId)
  const session = current.data?.sessions.find((s) => s.deviceName.toLowerCase() === deviceName.toLowerCase())
  if (session === undefined) return null
  const facts = [
    session.loginTime === null ? undefined : `since ${formatDateTime(session.loginTime)} (${ageOf(session.loginTime, now)})`,
    session.profile === null ? undefined : `profile ${session.profile}`,
    session.devicePool ?? undefined,
    session.model ?? undefined
  ].filter((fact): fact is string => fact !== undefined)
  return <span className='cell-sub small muted'>{facts.join(' · ')}</span>
}
