import { useRef, useState } from 'react'
import { useDeviceStatus } from '../../features/devices/api/get-device-status.ts'
import { DeviceLookup } from '../../features/devices/components/device-lookup.tsx'
import { SessionTimeline } from '../../features/sessions/components/session-timeline.tsx'
import { LoginForm } from '../../features/users/components/login-form.tsx'
import { useHasRole } from '../../lib/authorization.tsx'
import { useClusterScope } from '../../lib/cluster.tsx'
import { pushParams } from '../router.ts'

export function DevicesScreen ({ params }: { params: URLSearchParams }) {
  const names = (params.get('names') ?? '').split(',').filter((name) => name !== '')
  const [login, setLogin] = useState<{ device: string, cluster: string | null, version: number }>({ device: '', cluster: null, version: 0 })
  const loginRef = useRef<HTMLDivElement>(null)
  const canOperate = useHasRole('operator')
  // The same query as the look-up's table (shared). As on the Users screen, a device no cluster
  // has gets no session history: an empty one would read as a device that exists, unused.
  const scope = useClusterScope()
  const status = useDeviceStatus(names, scope.param)
  const unknown = !status.isPlaceholderData && status.data !== undefined && (status.data.unavailable ?? []).length === 0 &&
    status.data.devices.every((device) => !device.exists)

  return (
    <div className='stack'>
      <DeviceLookup
        names={names}
        // Each look-up is a history entry: Back returns to the one before.
        onSearch={(next) => pushParams('devices', { names: next.join(',') })}
        onLogin={(device, cluster) => {
          setLogin({ device, cluster, version: login.version + 1 })
          // After the new form renders, bring it into view and put the cursor in the user field.
          requestAnimationFrame(() => {
            // A smooth scroll asked for by script is not stilled by the reduced-motion style rule.
            loginRef.current?.scrollIntoView({ block: 'nearest', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' })
            loginRef.current?.querySelector<HTMLInputElement>('input[name="user"]')?.focus()
          })
        }}
      />
      {/* One device looked up: who used it, and when, from the inventory's session history. */}
      {names.length === 1 && !unknown && <SessionTimeline key={names[0]} subject={{ device: names[0] ?? '' }} />}
      {canOperate && (
        <div ref={loginRef}>
          <LoginForm key={login.version} initialDevice={login.device} initialCluster={login.cluster ?? undefined} title='Log in a user to a device' />
        </div>
      )}
    </div>
  )
}
