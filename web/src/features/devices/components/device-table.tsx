import { memo, useId, useMemo, useState } from 'react'
import type { DeviceReport } from '@em-console/shared/schemas'
import { Badge } from '../../../components/badge.tsx'
import { downloadCsv, FilterSelect, SortHeader, TablePager, useTableView, type Column } from '../../../components/table-tools.tsx'
import { useHasRole } from '../../../lib/authorization.tsx'
import { clusterLabel, useClusterScope, type ClusterOption } from '../../../lib/cluster.tsx'
import { displayDeviceName } from '../../../lib/device-names.ts'
import { formatShortDateTime } from '../../../lib/format.ts'
import { useLogoutDevice } from '../api/logout-device.ts'
import { LogoutControl, LogoutOutcome } from './device-logout-button.tsx'
import { NOTHING } from '../../../components/nothing.tsx'
import { UserId } from '../../../components/user-id.tsx'

type DeviceState = 'logged-in' | 'free' | 'em-disabled' | 'unknown'
const STATE_LABELS: Record<DeviceState, string> = { 'logged-in': 'Logged in', free: 'Free', 'em-disabled': 'EM disabled', unknown: 'Unknown' }

/** What a phone is to the person looking; `emEnabled` false comes from CUCM's answer (code 22) to an earlier login or logout. */
export function stateOf (device: DeviceReport): DeviceState {
  if (!device.exists) return 'unknown'
  if (device.currentUser !== null) return 'logged-in'
  return device.emEnabled === false ? 'em-disabled' : 'free'
}

const DEVICE_COLUMN: Column<DeviceReport> = { key: 'device', label: 'Device', value: (d) => displayDeviceName(d.deviceName) }
const OTHER_COLUMNS: Array<Column<DeviceReport>> = [
  { key: 'current', label: 'Current user', value: (d) => d.currentUser },
  { key: 'last', label: 'Last user', value: (d) => d.lastUser },
  { key: 'emcc', label: 'EMCC', value: (d) => d.emcc === null ? null : d.emcc ? 'Yes' : 'No' }
]
const STATE_COLUMN: Column<DeviceReport> = { key: 'state', label: 'State', value: (d) => STATE_LABELS[stateOf(d)] }

/** With several clusters a Cluster column follows the name: the same name may be a phone on two of them. */
function columnsFor (several: boolean, clusters: ClusterOption[]): Array<Column<DeviceReport>> {
  if (!several) return [DEVICE_COLUMN, ...OTHER_COLUMNS]
  return [DEVICE_COLUMN, { key: 'cluster', label: 'Cluster', value: (d) => d.cluster === null ? null : clusterLabel(clusters, d.cluster) }, ...OTHER_COLUMNS]
}

/** One row per device and cluster (a name found on two clusters is two phones). */
function rowKey (device: DeviceReport): string {
  return `${device.deviceName}@${device.cluster ?? ''}`
}

interface DeviceTableProps {
  devices: DeviceReport[]
  /** Some cluster could not be asked: a device on none of the others may be on it. */
  unsure?: boolean
  onLogin: (deviceName: string, cluster: string | null) => void
}

/** Memo: typing in the look-up's box above it does not draw a page of rows again. */
export const DeviceTable = memo(function DeviceTable ({ devices, unsure = false, onLogin }: DeviceTableProps) {
  const id = useId()
  const { several, clusters, current } = useClusterScope()
  const [show, setShow] = useState<'all' | DeviceState>('all')
  const filter = useMemo(() => show === 'all' ? undefined : (d: DeviceReport) => stateOf(d) === show, [show])
  const columns = useMemo(() => columnsFor(several, clusters), [several, clusters])
  const csvColumns = useMemo(() => [...columns, STATE_COLUMN], [columns])
  // A new look-up starts at its first page; the same devices read again stay on theirs.
  const listed = useMemo(() => devices.map(rowKey).join('\n'), [devices])
  const view = useTableView(devices, columns, filter, listed)
  const options = [
    { value: 'all', label: 'All', count: devices.length },
    ...(Object.keys(STATE_LABELS) as DeviceState[]).map((state) => ({ value: state, label: STATE_LABELS[state], count: devices.filter((d) => stateOf(d) === state).length }))
  ]
  return (
    <>
      <div className='table-toolbar'>
        <FilterSelect id={`${id}-show`} value={show} options={options} onChange={(value) => setShow(value as typeof show)} />
        <button type='button' className='button button-ghost button-small' onClick={() => downloadCsv('em-console-devices.csv', csvColumns, view.rows)}>Export CSV</button>
      </div>
      <div className='table-wrap'>
        <table className='table'>
          <thead>
            <tr>
              {columns.map((column) => <SortHeader key={column.key} column={column} view={view} />)}
              <th scope='col'><span className='visually-hidden'>Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {view.shown.map((device) => <DeviceRow key={rowKey(device)} device={device} several={several} picked={current?.name} unsure={unsure} clusterName={clusterLabel(clusters, device.cluster)} onLogin={onLogin} />)}
          </tbody>
        </table>
      </div>
      {view.rows.length === 0 && <p className='empty'>No device is {STATE_LABELS[show as DeviceState]?.toLowerCase()}.</p>}
      <TablePager view={view} noun='devices' />
    </>
  )
})

interface DeviceRowProps {
  device: DeviceReport
  several: boolean
  /** The cluster picked in the header, the only one asked; undefined: every cluster was. */
  picked: string | undefined
  unsure: boolean
  clusterName: string
  onLogin: (deviceName: string, cluster: string | null) => void
}

/** Why a device is shown unknown: which clusters were asked, and whether one could not be. */
function unknownWhy (several: boolean, picked: string | undefined, unsure: boolean): string {
  if (unsure) return 'Not on the clusters that answered: it may be on one that could not be asked.'
  if (!several) return 'CUCM has no device with this name.'
  // One cluster picked in the header: the others were not asked, and may well have it.
  return picked === undefined ? 'No cluster has a device with this name.' : `${picked} has no device with this name; the other clusters were not asked (All clusters in the header asks them).`
}

function DeviceRow ({ device, several, picked, unsure, clusterName, onLogin }: DeviceRowProps) {
  const logout = useLogoutDevice()
  // Viewers look; logging in and out needs the operator role (the server refuses it anyway).
  const canOperate = useHasRole('operator')
  const name = displayDeviceName(device.deviceName)
  const width = several ? 6 : 5
  const clusterCell = several && <td>{device.cluster === null ? NOTHING : clusterName}</td>
  if (!device.exists) {
    return (
      <tr>
        <th scope='row' className='mono'>{name}</th>
        {clusterCell}
        <td colSpan={4}>
          <Badge tone='warn'>Unknown device</Badge>{' '}
          <span className='muted small'>{unknownWhy(several, picked, unsure)}</span>
        </td>
      </tr>
    )
  }
  const finished = logout.isSuccess || logout.isError
  const emDisabled = stateOf(device) === 'em-disabled'
  return (
    <>
      <tr className={finished ? 'row-with-message' : undefined}>
        <th scope='row' className='mono'>{name}</th>
        {clusterCell}
        <td className='break-anywhere'>
          {device.currentUser !== null && <UserId id={device.currentUser} />}
          {device.currentUser === null && (emDisabled
            ? <><Badge tone='warn'>EM disabled</Badge> <span className='muted small'>Extension Mobility is disabled on this phone</span></>
            : <span className='muted'>Nobody logged in</span>)}
          <InventoryFacts device={device} />
          {device.mayLag !== null && <span className='cell-sub'>{device.mayLag}</span>}
        </td>
        <td>{device.lastUser === null ? NOTHING : <UserId id={device.lastUser} />}</td>
        <td>{device.emcc === null ? NOTHING : device.emcc ? 'Yes' : 'No'}</td>
        <td className='cell-actions'>
          {/* CUCM refuses logins on a phone without Extension Mobility (code 22): offer none. */}
          {canOperate && device.currentUser === null && !emDisabled && (
            <button type='button' className='button button-ghost button-small' aria-label={several ? `Log in to ${name} on ${clusterName}` : `Log in to ${name}`} onClick={() => onLogin(name, device.cluster)}>Log in…</button>
          )}
          {canOperate && <LogoutControl deviceName={name} currentUser={device.currentUser} cluster={device.cluster} logout={logout} />}
        </td>
      </tr>
      {finished && (
        <tr className='row-message' aria-label={several ? `Result for ${name} on ${clusterName}` : `Result for ${name}`}>
          <td colSpan={width}><LogoutOutcome deviceName={name} logout={logout} /></td>
        </tr>
      )}
    </>
  )
}

/** What the AXL inventory knows of the phone (issue #18): since when, with which profile, where, what model. */
function InventoryFacts ({ device }: { device: DeviceReport }) {
  const facts = [
    device.currentUser !== null && device.loginTime != null ? `since ${formatShortDateTime(device.loginTime)}` : undefined,
    device.currentUser !== null && device.profile != null ? `profile ${device.profile}` : undefined,
    device.devicePool ?? undefined,
    device.model ?? undefined
  ].filter((fact): fact is string => fact !== undefined)
  if (facts.length === 0) return null
  return <span className='cell-sub'>{facts.join(' · ')}</span>
}
