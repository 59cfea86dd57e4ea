import type { DeviceStatus } from '@em-console/shared/schemas'
import { Badge } from '../../../components/badge.tsx'
import { useHasRole } from '../../../lib/authorization.tsx'
import { useLogoutDevice } from '../api/logout-device.ts'
import { LogoutControl, LogoutOutcome } from './device-logout-button.tsx'

interface DeviceTableProps {
  devices: DeviceStatus[]
  onLogin: (deviceName: string) => void
}

export function DeviceTable ({ devices, onLogin }: DeviceTableProps) {
  return (
    <div className='table-wrap'>
      <table className='table'>
        <thead>
          <tr>
            <th scope='col'>Device</th>
            <th scope='col'>Current user</th>
            <th scope='col'>Last user</th>
            <th scope='col'>EMCC</th>
            <th scope='col'><span className='visually-hidden'>Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {devices.map((device) => <DeviceRow key={device.deviceName} device={device} onLogin={onLogin} />)}
        </tbody>
      </table>
    </div>
  )
}

function DeviceRow ({ device, onLogin }: { device: DeviceStatus, onLogin: (deviceName: string) => void }) {
  const logout = useLogoutDevice()
  // Viewers look; logging in and out needs the operator role (the server refuses it anyway).
  const canOperate = useHasRole('operator')
  if (!device.exists) {
    return (
      <tr>
        <th scope='row' className='mono'>{device.deviceName}</th>
        <td colSpan={4}><Badge tone='warn'>Unknown device</Badge> <span className='muted small'>CUCM has no device with this name.</span></td>
      </tr>
    )
  }
  const finished = logout.isSuccess || logout.isError
  return (
    <>
      <tr className={finished ? 'row-with-message' : undefined}>
        <th scope='row' className='mono'>{device.deviceName}</th>
        <td>{device.currentUser ?? <span className='muted'>Nobody logged in</span>}</td>
        <td>{device.lastUser ?? <span className='muted'>—</span>}</td>
        <td>{device.emcc === null ? <span className='muted'>—</span> : device.emcc ? 'Yes' : 'No'}</td>
        <td className='cell-actions'>
          {canOperate && device.currentUser === null && (
            <button type='button' className='button button-ghost button-small' aria-label={`Log in to ${device.deviceName}`} onClick={() => onLogin(device.deviceName)}>Log in…</button>
          )}
          {canOperate && <LogoutControl deviceName={device.deviceName} currentUser={device.currentUser} logout={logout} />}
        </td>
      </tr>
      {finished && (
        <tr className='row-message' aria-label={`Result for ${device.deviceName}`}>
          <td colSpan={5}><LogoutOutcome deviceName={device.deviceName} logout={logout} /></td>
        </tr>
      )}
    </>
  )
}
