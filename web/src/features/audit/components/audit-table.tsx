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

function devicesText (devices: string[]): string {
  if (devices.length === 0) return '—'
  const shown = devices.slice(0, 2).map(displayDeviceName).join(', ')
  return devices.length <= 2 ? shown : `${shown} +${devices.length - 2}`
}

function Outcome ({ item }: { item: AuditSummary }) {
  return <Badge tone={outcomeTone(item.outcome)}>{OUTCOME_LABELS[item.outcome]}</Badge>
}

export function AuditTable ({ items, selectedId, onSelect, compact = false }: AuditTableProps) {
  // With several clusters every row says which one it concerned (sign-ins and account changes concern none),
  // a cluster disabled since (still listed, not usable) or deleted (a row naming one no longer
  // listed) among them: their records stay, and beside one usable cluster would read as its own.
  const { listed: clusters, known } = useClusterScope()
  const several = clusters.length > 1 || (known && items.some((item) => item.cluster !== null && !clusters.some((c) => c.id.toLowerCase() === item.cluster?.toLowerCase())))
  return (
    <div className='table-wrap narrowable'>
      <table className='table table-clickable table-snug'>
        <thead>
          <tr>
            <th scope='col'>When (your time)<span className='narrow-only'>Action, outcome, {several && 'cluster, '}device, user</span></th>
            <th scope='col' className='narrow-hidden'>Action</th>
            <th scope='col' className='narrow-hidden'>Outcome</th>
            {several && <th scope='col' className='narrow-hidden'>Cluster</th>}
            <th scope='col' className='narrow-hidden'>Device</th>
            <th scope='col' className='narrow-hidden'>User</th>
            {!compact && <th scope='col' className='narrow-hidden'>By</th>}
            {!compact && <th scope='col' className='narrow-hidden'>EMAPI</th>}
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
                {/* A narrow table (a phone, beside an open record) shows the action, its outcome and what it concerned here, under the time: their columns are past its edge. */}
                <span className='narrow-only'>{ACTION_LABELS[item.action]} <Outcome item={item} /></span>
                {several && item.cluster !== null && <span className='narrow-only'>{clusterLabel(clusters, item.cluster)}</span>}
                {item.devices.length > 0 && <span className='narrow-only mono'>{devicesText(item.devices)}</span>}
                {item.userId !== null && <span className='narrow-only'><UserId id={item.userId} /></span>}
              </td>
              <td className='narrow-hidden'>{ACTION_LABELS[item.action]}</td>
              <td className='narrow-hidden'><Outcome item={item} /></td>
              {several && <td className='narrow-hidden'>{item.cluster === null ? NOTHING : clusterLabel(clusters, item.cluster)}</td>}
              <td className={item.devices.length === 0 ? 'narrow-hidden' : 'mono narrow-hidden'}>{item.devices.length === 0 ? NOTHING : devicesText(item.devices)}</td>
              <td className='narrow-hidden'>{item.userId === null ? NOTHING : <UserId id={item.userId} />}</td>
              {!compact && <td className='narrow-hidden'>{item.actor} <span className='muted small'>({TRIGGER_LABELS[item.trigger]})</span></td>}
              {!compact && <td className='narrow-hidden'>{item.emapiCode ?? NOTHING}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
