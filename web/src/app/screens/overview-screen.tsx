import { ActivityCard } from '../../features/audit/components/activity-chart.tsx'
import { RecentActions } from '../../features/audit/components/recent-actions.tsx'
import { ConnectionCard } from '../../features/health/components/connection-card.tsx'
import { LogoutAllPanel } from '../../features/logout-all/components/logout-all-panel.tsx'

export function OverviewScreen () {
  return (
    <div className='overview-grid'>
      <ConnectionCard />
      <LogoutAllPanel />
      <div className='span-2'><ActivityCard /></div>
      <div className='span-2'><RecentActions /></div>
    </div>
  )
}
