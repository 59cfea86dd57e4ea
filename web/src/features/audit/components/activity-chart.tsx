import type { AuditStats } from '@em-console/shared/schemas'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { useClusterScope } from '../../../lib/cluster.tsx'
import { formatCount, plural } from '../../../lib/format.ts'
import { ACTIVITY_DAYS, startOfToday, useAuditStats } from '../api/get-audit-stats.ts'

// The drawing's own units: it is stretched to the card's width at a fixed height (styles: .chart svg),
// so its text would stretch too: the day labels are HTML under it, at the page's text size.
const WIDTH = 900
const HEIGHT = 140
const SERIES = [
  { key: 'success', label: 'Succeeded', className: 'bar-success' },
  { key: 'failure', label: 'Failed', className: 'bar-failure' },
  { key: 'lookups', label: 'Look-ups', className: 'bar-lookups' }
] as const

// A day's date as the server gives it (the browser's day), read as a calendar date: no zone shifts it.
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' })

function dayLabel (date: string): string {
  return dayFormat.format(new Date(`${date}T00:00:00Z`))
}

/** Actions per day over the last 30 days, split by outcome, plus today's counts. Plain SVG: no chart library. */
export function ActivityCard () {
  // The cluster picked in the header, as the look-ups and History follow it.
  const { current } = useClusterScope()
  const activity = useAuditStats(current?.id)
  const data = activity.data
  return (
    <section className='card' aria-labelledby='activity-title'>
      <header className='card-header'>
        <h2 id='activity-title'>Activity at a glance</h2>
        <span className='muted small'>{current === undefined ? '' : `${current.name} · `}{data?.unknownZone === undefined ? 'Your time' : 'UTC'} · Last {ACTIVITY_DAYS} days</span>
      </header>
      {activity.isPending && <p className='muted'>Loading activity…</p>}
      {activity.isError && <ErrorNotice error={activity.error} title='Could not load the activity' />}
      {data !== undefined && (
        <>
          {data.unknownZone !== undefined && <p className='muted small'>Days in UTC: the server does not know your time zone ({data.unknownZone}).</p>}
          <div className='stat-row' aria-label='Today'>
            <LogoutsToday today={data.stats.today} />
            <Stat label='Failures today' value={data.stats.today.failures} tone={data.stats.today.failures > 0 ? 'bad' : undefined} href={todaysFailuresHref(current?.id)} />
            <Stat label='Look-ups today' value={data.stats.today.lookups} />
          </div>
          <ActivityChart days={data.stats.days} />
        </>
      )}
    </section>
  )
}

/** History filtered to the failures counted today (the browser's day, as History's days are). */
function todaysFailuresHref (cluster: string | undefined): string {
  const today = startOfToday()
  const day = [today.getFullYear(), today.getMonth() + 1, today.getDate()].map((part) => String(part).padStart(2, '0')).join('-')
  return `#/history?${new URLSearchParams({ outcome: 'failed', from: day, to: day, ...(cluster === undefined ? {} : { cluster }) }).toString()}`
}

/**
 * Devices logged out today. A logout of all users is one record whoever it ended (EMAPI does not
 * say how many): it is named beside the count, not counted as one device. Logouts that found
 * nobody changed nothing and are told apart.
 */
function LogoutsToday ({ today }: { today: AuditStats['today'] }) {
  const notes = [
    today.logoutAlls > 0 ? `+ ${plural(today.logoutAlls, 'logout')} of all users` : undefined,
    today.alreadyLoggedOut > 0 ? `+ ${plural(today.alreadyLoggedOut, 'device')} already logged out` : undefined
  ].filter((note) => note !== undefined)
  return <Stat label='Logouts today' value={today.logouts - today.logoutAlls} note={notes.length === 0 ? undefined : notes.join(' · ')} />
}

/** `href`: the records counted, in History (the whole tile is the link). */
function Stat ({ label, value, tone, note, href }: { label: string, value: number, tone?: 'bad', note?: string, href?: string }) {
  const content = (
    <>
      <span className='stat-value'>{formatCount(value)}</span>
      <span className='stat-label'>{label}</span>
      {note !== undefined && <span className='stat-note muted small'>{note}</span>}
    </>
  )
  return (
    <div className={tone === 'bad' ? 'stat stat-bad' : 'stat'} role='group' aria-label={label}>
      {href === undefined ? content : <a className='stat-link' href={href}>{content}</a>}
    </div>
  )
}

function ActivityChart ({ days }: { days: AuditStats['days'] }) {
  const totals = days.map((d) => d.success + d.failure + d.lookups)
  const max = Math.max(4, ...totals)
  // The axis line's pixel stays inside the drawing.
  const plotHeight = HEIGHT - 1
  const slot = WIDTH / Math.max(days.length, 1)
  const barWidth = Math.max(2, slot * 0.7)
  const sum = (key: 'success' | 'failure' | 'lookups') => days.reduce((total, d) => total + d[key], 0)
  const summary = `${formatCount(sum('success'))} succeeded, ${formatCount(sum('failure'))} failed and ${plural(sum('lookups'), 'look-up')} over ${plural(days.length, 'day')}`
  const labelled = [0, Math.floor((days.length - 1) / 2), days.length - 1].flatMap((index) => days[index] === undefined ? [] : [days[index].date])
  const busiest = Math.max(0, ...totals)

  return (
    <figure className='chart'>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio='none' role='img' aria-label={`Actions per day: ${summary}`}>
        <line x1={0} x2={WIDTH} y1={plotHeight} y2={plotHeight} className='chart-axis' />
        <line x1={0} x2={WIDTH} y1={plotHeight / 2} y2={plotHeight / 2} className='chart-grid' />
        <line x1={0} x2={WIDTH} y1={1} y2={1} className='chart-grid' />
        {days.map((day, index) => {
          let y = plotHeight
          const x = index * slot + (slot - barWidth) / 2
          return (
            <g key={day.date}>
              <title>{`${dayLabel(day.date)}: ${formatCount(day.success)} succeeded, ${formatCount(day.failure)} failed, ${plural(day.lookups, 'look-up')}`}</title>
              <rect x={index * slot} y={0} width={slot} height={plotHeight} className='chart-hover' />
              {SERIES.map((series) => {
                const value = day[series.key]
                if (value === 0) return null
                const height = (value / max) * (plotHeight - 4)
                y -= height
                return <rect key={series.key} x={x} y={y} width={barWidth} height={height} className={series.className} rx={1.5} />
              })}
            </g>
          )
        })}
      </svg>
      <div className='chart-days' aria-hidden='true'>{[...new Set(labelled)].map((date) => <span key={date}>{dayLabel(date)}</span>)}</div>
      <figcaption className='legend'>
        {SERIES.map((series) => (
          <span key={series.key} className='legend-item'><span className={`legend-swatch ${series.className}`} aria-hidden='true' />{series.label}</span>
        ))}
        <span className='legend-item muted'>{busiest === 0 ? `Nothing recorded in these ${days.length} days` : `busiest day: ${plural(busiest, 'action')}`}</span>
      </figcaption>
    </figure>
  )
}
