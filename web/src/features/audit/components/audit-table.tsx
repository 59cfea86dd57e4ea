import type { AuditSummary } from '@em-console/shared/schemas'
import { Badge } from '../../../components/badge.tsx'
import { clusterLabel, useClusterScope } from '../../../lib/cluster.tsx'
import { displayDeviceName } from '../../../lib/device-names.ts'
import { ACTION_LABELS, formatDateTime, formatShortDateTime, OUTCOME_LABELS, outcomeTone, TRIGGER_LABELS } from '../../../lib/format.ts'
import { NOTHING } from '../../../components/nothing.tsx'
import { UserId } from '../../../components/user-id.tsx'

interface AuditTableProps {
  items: AuditSummary[]
  selectedId?: number
  onSelect: (id: number) => void
  compact?: boolean
}

export function devicesText (devices: string[]): string {
  if (devices.length === 0) return '—'
  const shown = devices.slice(0, 2).map(displayDeviceName).join(', ')
  return devices.length <= 2 ? shown : `${shown} +${devices.length - 2}`
}

export function AuditTable ({ items, selectedId, onSelect, compact = false }: AuditTableProps) {
  // With several clusters every row says which one it concerned (sign-ins and account changes concern none).
  const { several, clusters } = useClusterScope()
  return (
    <div className='table-wrap'>
      <table className='table table-clickable'>
        <thead>
          <tr>
            <th scope='col'>When (your time)</th>
            <th scope='col'>Action</th>
            <th scope='col'>Outcome</th>
            {several && <th scope='col'>Cluster</th>}
            <th scope='col'>Device</th>
            <th scope='col'>User</th>
            {!compact && <th scope='col'>By</th>}
            {!compact && <th scope='col'>EMAPI</th>}
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id} className={item.id === selectedId ? 'row-selected' : undefined} aria-selected={item.id === selectedId}>
              <td className='cell-nowrap'>
                {/* The name starts with the date it shows (voice control says what it sees), then says what opens. */}
                <button
                  type='button'
                  className='link-button'
                  onClick={() => onSelect(item.id)}
                  aria-label={`${formatShortDateTime(item.startedAt)}: open audit record ${item.id}`}
                  title={formatDateTime(item.startedAt)}
                  data-audit-id={item.id}
                >
                  {formatShortDateTime(item.startedAt)}
                </button>
              </td>
              <td>{ACTION_LABELS[item.action]}</td>
              <td><Badge tone={outcomeTone(item.outcome)}>{OUTCOME_LABELS[item.outcome]}</Badge></td>
              {several && <td className='cell-nowrap'>{item.cluster === null ? NOTHING : clusterLabel(clusters, item.cluster)}</td>}
              <td className={item.devices.length === 0 ? undefined : 'mono'}>{item.devices.length === 0 ? NOTHING : devicesText(item.devices)}</td>
              <td>{item.userId === null ? NOTHING : <UserId id={item.userId} />}</td>
              {!compact && <td>{item.actor} <span className='muted small'>({TRIGGER_LABELS[item.trigger]})</span></td>}
              {!compact && <td>{item.emapiCode ?? NOTHING}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
