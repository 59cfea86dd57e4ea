import { DeviceLogoutButton } from '../../features/devices/components/device-logout-button.tsx'
import { LoginForm } from '../../features/users/components/login-form.tsx'
import { UserLookup } from '../../features/users/components/user-lookup.tsx'
import { replaceParams } from '../router.ts'

export function UsersScreen ({ params }: { params: URLSearchParams }) {
  const userId = params.get('user') ?? ''
  return (
    <div className='stack'>
      <UserLookup
        key={userId}
        userId={userId}
        onSearch={(next) => replaceParams('users', { user: next })}
        renderDeviceAction={(deviceName) => <DeviceLogoutButton deviceName={deviceName} currentUser={userId} />}
      />
      {userId !== '' && <LoginForm key={userId} initialUser={userId} title={`Log ${userId} in to a device`} />}
    </div>
  )
}
