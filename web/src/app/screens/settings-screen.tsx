import { ClustersCard } from '../../features/clusters/components/clusters-card.tsx'
import { SettingsView } from '../../features/settings/components/settings-form.tsx'

export function SettingsScreen () {
  return (
    <div className='stack'>
      <ClustersCard />
      <SettingsView />
    </div>
  )
}
