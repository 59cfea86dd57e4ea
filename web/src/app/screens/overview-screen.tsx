import { ConnectionCard } from '../../features/health/components/connection-card.tsx'
import { LogoutAllPanel } from '../../features/logout-all/components/logout-all-panel.tsx'
import { NextRunCard } from '../../features/schedules/components/next-run-card.tsx'
import { useLoggedInCount } from '../../features/sessions/api/logged-in-count.ts'
import { Suspense } from 'react'
import { useHasRole } from '../../lib/authorization.tsx'
import { loadedLater } from '../../lib/loaded-later.tsx'

// Loaded after the first paint: the Overview is the page every visit opens, and its JavaScript budget is tight.
const SessionsOverviewCard = loadedLater(async () => (await import('../../features/sessions/components/sessions-overview-card.tsx')).SessionsOverviewCard)
const ActivityCard = loadedLater(async () => (await import('../../features/audit/components/activity-chart.tsx')).ActivityCard)
const RecentActions = loadedLater(async () => (await import('../../features/audit/components/recent-actions.tsx')).RecentActions)

export function OverviewScreen () {
  const canOperate = useHasRole('operator')
  const loggedIn = useLoggedInCount()
  return (
    <div className='overview-grid'>
      <ConnectionCard />
      {canOperate
        ? <div className='stack'><LogoutAllPanel loggedIn={loggedIn} /><NextRunCard /></div>
        : <NextRunCard />}
      <div className='span-2'><Suspense fallback={null}><SessionsOverviewCard /></Suspense></div>
      <div className='span-2'><Suspense fallback={null}><ActivityCard /></Suspense></div>
      <div className='span-2'><Suspense fallback={null}><RecentActions /></Suspense></div>
    </div>
  )
}
