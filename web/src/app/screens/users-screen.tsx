import { DeviceLogoutButton } from '../../features/devices/components/device-logout-button.tsx'
import { LoginForm } from '../../features/users/components/login-form.tsx'
import { UserLookup } from '../../features/users/components/user-lookup.tsx'
import { useHasRole } from '../../lib/authorization.tsx'
import { replaceParams } from '../router.ts'

export function UsersScreen ({ params }: { params: URLSearchParams }) {
  const userId = params.get('user') ?? ''
  const canOperate = useHasRole('operator')
  return (
    <div className='stack'>
      <UserLookup
        key={userId}
        userId={userId}
        onSearch={(next) => replaceParams('users', { user: next })}
        renderDeviceAction={(deviceName) => canOperate ? <DeviceLogoutButton deviceName={deviceName} currentUser={userId} /> : null}
      />
      {userId !== '' && canOperate && <LoginForm key={userId} initialUser={userId} title={`Log ${userId} in to a device`} />}
    </div>
  )
}
