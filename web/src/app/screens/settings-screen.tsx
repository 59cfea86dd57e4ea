import { SettingsView } from '../../features/settings/components/settings-form.tsx'

export function SettingsScreen () {
  return <SettingsView />
}
