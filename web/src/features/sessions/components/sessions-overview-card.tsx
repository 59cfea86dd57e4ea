import { useMemo } from 'react'
import type { InventoryCluster, SessionSummary } from '@em-console/shared/schemas'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { clusterLabel, useClusterScope, type ClusterOption } from '../../../lib/cluster.tsx'
import { displayDeviceName } from '../../../lib/device-names.ts'
import { formatCount, formatDateTime, formatTime, plural } from '../../../lib/format.ts'
import { useLastLogoutAll, type LogoutAllDone } from '../../../lib/last-logout-all.ts'
import { useInventory } from '../api/get-inventory.ts'
import { useSessionSummary } from '../api/get-session-summary.ts'
import { AsOf, InventoryErrors, InventorySetup } from './inventory-status.tsx'
import { ageOf } from './session-format.ts'
import { useNow } from '../../../lib/use-now.ts'

const NO_FILTERS = {}
const TOP_POOLS = 8

/** Horizontal bars with their numbers as text: readable without the bars, so no chart library and no SVG. */
function Bars ({ label, items }: { label: string, items: Array<{ name: string, value: number }> }) {
  const max = Math.max(1, ...items.map((i) => i.value))
  return (
    <figure className='bars'>
      <figcaption className='bars-title'>{label}</figcaption>
      <ul className='bars-list'>
        {items.map((item) => (
          <li key={item.name} className='bars-item'>
            <span className='bars-name' title={item.name}>{item.name}</span>
            <span className='bars-track' aria-hidden='true'><span className='bars-fill' style={{ width: `${(item.value / max) * 100}%` }} /></span>
            <span className='bars-value'>{formatCount(item.value)}</span>
          </li>
        ))}
      </ul>
    </figure>
  )
}

/** The headline of the Overview: who is logged in now, how long the oldest has been, per pool and by age. */
export function SessionsOverviewCard () {
  const now = useNow()
  const inventory = useInventory()
  // The cluster picked in the header, when one is: its sessions, its inventory.
  const scope = useClusterScope()
  const filters = useMemo(() => scope.param === undefined ? NO_FILTERS : { cluster: scope.param }, [scope.param])
  const summary = useSessionSummary(filters)
  const logoutAll = useLastLogoutAll()
  const clusters = (inventory.data?.clusters ?? []).filter((c) => scope.param === undefined || c.cluster.toLowerCase() === scope.param.toLowerCase())
  const configured = clusters.filter((c) => c.state !== 'not-configured')
  const data = summary.data
  return (
    <section className='card' aria-labelledby='sessions-overview-title'>
      <header className='card-header'>
        <h2 id='sessions-overview-title'>Logged in now{scope.current !== undefined && ` on ${scope.current.name}`}</h2>
        {configured.length > 0 && <a className='small' href='#/sessions'>All sessions →</a>}
      </header>
      {inventory.isError && <ErrorNotice error={inventory.error} title='Could not read the inventory' compact />}
      {clusters.filter((c) => c.state === 'not-configured').map((cluster) => <InventorySetup key={cluster.cluster} cluster={cluster} />)}
      {configured.length > 0 && data !== undefined && (
        <>
          <p className='headline' data-sessions-headline>
            {headline(data)}
            {data.oldest?.loginTime != null && (
              <>, oldest since <time dateTime={data.oldest.loginTime} title={formatDateTime(data.oldest.loginTime)}>{formatDateTime(data.oldest.loginTime)}</time> ({data.oldest.userId} on <span className='mono'>{displayDeviceName(data.oldest.deviceName)}</span>, {ageOf(data.oldest.loginTime, now)})</>
            )}
          </p>
          <p className='muted small inventory-as-of'>
            {configured.map((cluster) => <span key={cluster.cluster}>{configured.length > 1 && `${clusterLabel(scope.clusters, cluster.cluster)}: `}<AsOf cluster={cluster} now={now} /><ReadBeforeLogoutAll cluster={cluster} done={logoutAll} /></span>)}
          </p>
          <InventoryErrors clusters={configured} several={configured.length > 1} />
          {data.total > 0 && (
            <div className='grid-2 bars-grid'>
              <Bars label='Sessions per device pool' items={poolBars(data, scope.clusters)} />
              <Bars label='How long they have been logged in' items={ageBars(data)} />
            </div>
          )}
        </>
      )}
    </section>
  )
}

/**
 * The count of a cluster whose inventory was read before a logout-all this page made there: it
 * still lists the users just logged out, until the inventory is read again (soon after the change,
 * inventory.ts); said, so that nobody takes them for users still logged in.
 */
function ReadBeforeLogoutAll ({ cluster, done }: { cluster: InventoryCluster, done: LogoutAllDone | undefined }) {
  if (done === undefined || cluster.asOf === null || new Date(cluster.asOf).getTime() >= done.at || !done.clusters.includes(cluster.cluster.toLowerCase())) return null
  // The server reads it again seconds after the change when its timer runs (nextRefreshAt set).
  const when = cluster.nextRefreshAt === null ? '' : ', read again in a moment'
  return <span className='muted'> · counted before the logout-all of {formatTime(new Date(done.at).toISOString())}{when}</span>
}

function headline (summary: SessionSummary): string {
  if (summary.total === 0) return 'Nobody is logged in'
  return `${plural(summary.users, 'user')} on ${plural(summary.phones, 'phone')}`
}

/** The sessions by age; those whose login time CUCM does not hold in a bar of their own, so the bars add up to the headline. */
function ageBars (summary: SessionSummary): Array<{ name: string, value: number }> {
  const items = summary.ages.map((a) => ({ name: a.label, value: a.sessions }))
  return summary.unknownAge === 0 ? items : [...items, { name: 'Age unknown', value: summary.unknownAge }]
}

/** Each pool with its sessions; with several clusters, on which one, by the name every other screen gives it (not its id). */
function poolBars (summary: SessionSummary, clusters: ClusterOption[]): Array<{ name: string, value: number }> {
  const several = new Set(summary.devicePools.map((p) => p.cluster)).size > 1
  const items = summary.devicePools.map((p) => ({ name: `${p.devicePool ?? '(no pool)'}${several ? ` on ${clusterLabel(clusters, p.cluster)}` : ''}`, value: p.sessions }))
  if (items.length <= TOP_POOLS) return items
  const rest = items.slice(TOP_POOLS - 1).reduce((n, i) => n + i.value, 0)
  return [...items.slice(0, TOP_POOLS - 1), { name: `${items.length - TOP_POOLS + 1} other pools`, value: rest }]
}
