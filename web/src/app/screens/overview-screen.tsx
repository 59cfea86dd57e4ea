import { ActivityCard } from '../../features/audit/components/activity-chart.tsx'
import { RecentActions } from '../../features/audit/components/recent-actions.tsx'
import { ConnectionCard } from '../../features/health/components/connection-card.tsx'
import { LogoutAllPanel } from '../../features/logout-all/components/logout-all-panel.tsx'
import { NextRunCard } from '../../features/schedules/components/next-run-card.tsx'
import { SessionsOverviewCard, useLoggedInCount } from '../../features/sessions/components/sessions-overview-card.tsx'
import { useHasRole } from '../../lib/authorization.tsx'

export function OverviewScreen () {
  const canOperate = useHasRole('operator')
  const loggedIn = useLoggedInCount()
  return (
    <div className='overview-grid'>
      <ConnectionCard />
      {canOperate
        ? <div className='stack'><LogoutAllPanel loggedIn={loggedIn} /><NextRunCard /></div>
        : <NextRunCard />}
      <div className='span-2'><SessionsOverviewCard /></div>
      <div className='span-2'><ActivityCard /></div>
      <div className='span-2'><RecentActions /></div>
    </div>
  )
}
