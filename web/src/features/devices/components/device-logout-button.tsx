import { Badge } from '../../../components/badge.tsx'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { InlineConfirm } from '../../../components/inline-confirm.tsx'
import { auditHref } from '../../../lib/audit-link.ts'
import { useLogoutDevice } from '../api/logout-device.ts'

type LogoutMutation = ReturnType<typeof useLogoutDevice>

interface LogoutControlProps {
  deviceName: string
  /** Named in the confirmation; null when nobody is logged in (the control hides). */
  currentUser: string | null
  logout: LogoutMutation
}

/** "Log out", then a short inline confirmation. */
export function LogoutControl ({ deviceName, currentUser, logout }: LogoutControlProps) {
  if (currentUser === null) return null
  return (
    <InlineConfirm
      label='Log out'
      name={`Log out ${deviceName}`}
      busy={logout.isPending}
      busyLabel='Logging out…'
      question={`Log out ${currentUser}?`}
      groupName={`Confirm logout of ${deviceName}`}
      confirmLabel='Confirm logout'
      onOpen={() => logout.reset()}
      onConfirm={() => logout.mutate(deviceName)}
    />
  )
}

/** How the last logout of this device ended: a short success line or the full error. */
export function LogoutOutcome ({ deviceName, logout }: { deviceName: string, logout: LogoutMutation }) {
  if (logout.isSuccess) {
    return (
      <p className='inline-result' role='status'>
        <Badge tone='ok'>{logout.data.outcome === 'success' ? 'Logged out' : 'Already logged out'}</Badge>{' '}
        <a href={auditHref(logout.data.auditId)}>Audit #{logout.data.auditId}</a>
      </p>
    )
  }
  if (logout.isError) return <ErrorNotice error={logout.error} title={`Could not log out ${deviceName}`} compact />
  return null
}

/** Control and outcome together, for lists where the outcome fits under the button. */
export function DeviceLogoutButton ({ deviceName, currentUser }: { deviceName: string, currentUser: string | null }) {
  const logout = useLogoutDevice()
  return (
    <div className='logout-control'>
      <LogoutControl deviceName={deviceName} currentUser={currentUser} logout={logout} />
      <LogoutOutcome deviceName={deviceName} logout={logout} />
    </div>
  )
}
