import { Badge } from '../../../components/badge.tsx'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { browserTimeZone, formatInZone, formatRelative } from '../../../lib/format.ts'
import { useSchedules } from '../api/get-schedules.ts'
import { describeCron, describeScheduleAction } from './schedule-format.ts'

/** The Overview's answer to "when does the next scheduled logout happen?". */
export function NextRunCard () {
  const schedules = useSchedules()
  const list = schedules.data?.schedules ?? []
  const upcoming = list
    .filter((s) => s.enabled && s.nextRunAt !== null)
    .sort((a, b) => Date.parse(a.nextRunAt ?? '') - Date.parse(b.nextRunAt ?? ''))
  const next = upcoming[0]

  return (
    <section className='card' aria-labelledby='next-run-title'>
      <header className='card-header'>
        <h2 id='next-run-title'>Next scheduled run</h2>
        <a href='#/schedules' className='small'>Open schedules</a>
      </header>
      {schedules.isPending && <p className='muted'>Loading…</p>}
      {schedules.isError && <ErrorNotice error={schedules.error} title='Could not read the schedules' compact />}
      {schedules.isSuccess && next === undefined && (
        <p className='muted'>{list.length === 0 ? 'No schedule is set up.' : 'Every schedule is disabled.'}</p>
      )}
      {next?.nextRunAt != null && (
        <div className='next-run'>
          <p className='next-run-when'>
            <time dateTime={next.nextRunAt}>{formatInZone(next.nextRunAt, browserTimeZone())}</time> <span className='next-run-zone'>your time</span>
            <span className='muted'> · {formatRelative(next.nextRunAt)}</span>
          </p>
          {/* The schedule's own clock, beside: "02:00 in Asia/Tokyo" is what the admin set up. */}
          {next.timezone !== browserTimeZone() && (
            <p className='small'>{formatInZone(next.nextRunAt, next.timezone)} in {next.timezone}</p>
          )}
          <p className='muted small'>
            <strong className='next-run-name'>{next.name}</strong> · {describeScheduleAction(next)} · {describeCron(next.cron) ?? next.cron} ({next.timezone})
            {upcoming.length > 1 && ` · ${upcoming.length - 1} more enabled`}
          </p>
          {/* Its run would fail as things stand (a device list gone, a cluster disabled): said here as on the Schedules screen. */}
          {next.problem !== null && <p className='small'><Badge tone='warn'>Needs attention</Badge> {next.problem}</p>}
        </div>
      )}
    </section>
  )
}
