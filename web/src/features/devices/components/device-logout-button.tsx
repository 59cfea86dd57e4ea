import { Badge } from '../../../components/badge.tsx'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { InlineConfirm } from '../../../components/inline-confirm.tsx'
import { auditHref } from '../../../lib/audit-link.ts'
import { clusterLabel, useClusterScope } from '../../../lib/cluster.tsx'
import { useLogoutDevice } from '../api/logout-device.ts'

type LogoutMutation = ReturnType<typeof useLogoutDevice>

interface LogoutControlProps {
  deviceName: string
  /** Named in the confirmation; null when nobody is logged in (the control hides). */
  currentUser: string | null
  /** Where the device was found: the logout goes there (a name may be on several clusters). */
  cluster?: string | null | undefined
  logout: LogoutMutation
}

/** "Log out X", or "Log out X on Branch" when there are several clusters (the same name may be on two). */
function controlName (deviceName: string, cluster: string | null | undefined, several: boolean, name: string): string {
  return several && cluster != null ? `${deviceName} on ${name}` : deviceName
}

/** "Log out", then a short inline confirmation. */
export function LogoutControl ({ deviceName, currentUser, cluster, logout }: LogoutControlProps) {
  const scope = useClusterScope()
  if (currentUser === null) return null
  const target = controlName(deviceName, cluster, scope.several, clusterLabel(scope.clusters, cluster))
  return (
    <InlineConfirm
      label='Log out'
      name={`Log out ${target}`}
      busy={logout.isPending}
      busyLabel='Logging out…'
      question={`Log out ${currentUser}?`}
      groupName={`Confirm logout of ${target}`}
      confirmLabel='Confirm logout'
      onOpen={() => logout.reset()}
      onConfirm={() => logout.mutate({ deviceName, cluster: cluster ?? scope.param })}
    />
  )
}

/** How the last logout of this device ended: a short success line or the full error. */
export function LogoutOutcome ({ deviceName, logout }: { deviceName: string, logout: LogoutMutation }) {
  const scope = useClusterScope()
  if (logout.isSuccess) {
    const cluster = logout.data.cluster
    return (
      <p className='inline-result' role='status'>
        <Badge tone='ok'>{logout.data.outcome === 'success' ? 'Logged out' : 'Already logged out'}</Badge>{' '}
        {scope.several && cluster !== undefined && <span className='small'>on {clusterLabel(scope.clusters, cluster)} </span>}
        <a href={auditHref(logout.data.auditId)}>Audit #{logout.data.auditId}</a>
      </p>
    )
  }
  if (logout.isError) return <ErrorNotice error={logout.error} title={`Could not log out ${deviceName}`} compact />
  return null
}

/** Control and outcome together, for lists where the outcome fits under the button. */
export function DeviceLogoutButton ({ deviceName, currentUser, cluster }: { deviceName: string, currentUser: string | null, cluster?: string | null }) {
  const logout = useLogoutDevice()
  return (
    <div className='logout-control'>
      <LogoutControl deviceName={deviceName} currentUser={currentUser} cluster={cluster} logout={logout} />
      <LogoutOutcome deviceName={deviceName} logout={logout} />
    </div>
  )
}
