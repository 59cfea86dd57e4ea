import { DeviceLogoutButton } from '../../features/devices/components/device-logout-button.tsx'
import { SessionFacts, SessionTimeline } from '../../features/sessions/components/session-timeline.tsx'
import { LoginForm } from '../../features/users/components/login-form.tsx'
import { UserLookup } from '../../features/users/components/user-lookup.tsx'
import { useUserDevices } from '../../features/users/api/get-user-devices.ts'
import { useHasRole } from '../../lib/authorization.tsx'
import { useClusterScope } from '../../lib/cluster.tsx'
import { pushParams } from '../router.ts'

export function UsersScreen ({ params }: { params: URLSearchParams }) {
  const userId = params.get('user') ?? ''
  const canOperate = useHasRole('operator')
  // The same query as the look-up's card (shared): a user CUCM does not have gets no history or login form.
  const scope = useClusterScope()
  const devices = useUserDevices(userId, scope.param)
  const known = userId !== '' && devices.data?.exists !== false
  // The user as CUCM spells them, once it has answered: the inventory's filters and the audit
  // trail fold the case of ASCII letters only, so a typed 'ÇAĞLA.ÖZTÜRK' found none of çağla.öztürk's.
  const spelled = devices.data?.userId ?? userId
  return (
    <div className='stack'>
      {/* Each look-up starts fresh: its own cards (keyed by the user inside) and history and form.
          The look-up's form stays, so a refusal of what was typed is still said under it. */}
      <UserLookup
        userId={userId}
        onSearch={(next) => pushParams('users', { user: next })}
        renderDeviceAction={(deviceName, cluster) => canOperate ? <DeviceLogoutButton deviceName={deviceName} currentUser={spelled} cluster={cluster} /> : null}
        renderDeviceFacts={(deviceName) => <SessionFacts userId={spelled} deviceName={deviceName} />}
      />
      {known && <SessionTimeline key={`history:${spelled}`} subject={{ user: spelled }} />}
      {known && canOperate && <LoginForm key={`login:${spelled}`} initialUser={spelled} title={`Log ${spelled} in to a device`} />}
    </div>
  )
}
