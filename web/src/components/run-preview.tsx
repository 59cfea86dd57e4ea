import { useId, useMemo, useState } from 'react'
import type { Preview, PreviewItem } from '@em-console/shared/schemas'
import { displayDeviceName } from '../lib/device-names.ts'
import { RUN_OUTCOME_LABELS, USER_ITEM_LABELS } from '@em-console/shared/display'
import { clusterLabel, useClusterScope } from '../lib/cluster.tsx'
import { formatCount } from '../lib/format.ts'
import { Badge, type Tone } from './badge.tsx'
import { downloadCsv, FilterSelect, SortHeader, TablePager, useTableView, type Column } from './table-tools.tsx'
import { NOTHING } from './nothing.tsx'
import { UserId } from './user-id.tsx'
import { MoreProblems, PROBLEMS_SHOWN } from './invalid-names.tsx'

type Category = PreviewItem['category']

const PREVIEW_CATEGORY_LABELS: Record<Category, string> = {
  'will-logout': 'Will be logged out',
  'will-login': 'Will be logged in',
  // The run that follows counts these devices under the same words.
  empty: RUN_OUTCOME_LABELS.empty,
  occupied: 'Occupied',
  excluded: 'Excluded',
  'not-found': 'Unknown device',
  duplicate: 'Listed twice',
  ambiguous: 'On several clusters',
  unavailable: 'Cluster not reachable'
}
const CATEGORIES = Object.keys(PREVIEW_CATEGORY_LABELS) as Category[]
/** A run by users: what was asked is a user, so what is unknown or empty is one. */
const USER_CATEGORY_LABELS: Record<Category, string> = { ...PREVIEW_CATEGORY_LABELS, ...USER_ITEM_LABELS }

const CATEGORY_TONES: Record<Category, Tone> = {
  'will-logout': 'info',
  'will-login': 'info',
  empty: 'neutral',
  occupied: 'bad',
  excluded: 'warn',
  'not-found': 'warn',
  duplicate: 'warn',
  ambiguous: 'warn',
  unavailable: 'warn'
}

const DEVICE: Column<PreviewItem> = { key: 'device', label: 'Device', value: (item) => displayDeviceName(item.device) }
const CURRENT: Column<PreviewItem> = { key: 'current', label: 'Current user', value: (item) => item.currentUser }
const USER: Column<PreviewItem> = { key: 'user', label: 'User to log in', value: (item) => item.user }
const WHAT: Column<PreviewItem> = { key: 'what', label: 'What happens', value: (item) => PREVIEW_CATEGORY_LABELS[item.category] }
const WHY: Column<PreviewItem> = { key: 'why', label: 'Why', value: (item) => item.reason ?? null }
const LOGOUT_COLUMNS = [DEVICE, CURRENT, WHAT]
const LOGIN_COLUMNS = [DEVICE, CURRENT, USER, WHAT]
const USERS_COLUMNS = [{ ...USER, label: 'User' }, DEVICE, { ...WHAT, value: (item: PreviewItem) => USER_CATEGORY_LABELS[item.category] }]

interface RunPreviewProps {
  preview: Preview
  /** In a dialog: the table scrolls within a short box. */
  compact?: boolean
  /** A logout of users wherever they are: each row is a user and the device found for them, if any. */
  byUsers?: boolean
}

/** What a bulk run would do: counts per category, the CSV rows that cannot be used, and every device. */
export function RunPreview ({ preview, compact = false, byUsers = false }: RunPreviewProps) {
  const id = useId()
  const isLogin = preview.action === 'login'
  const scope = useClusterScope()
  // Each device's cluster once the devices are on more than one (a pool name on two, a list of both).
  const several = new Set(preview.items.map((item) => item.cluster).filter((cluster) => cluster !== null)).size > 1
  const columns = useMemo(() => {
    const base = byUsers ? USERS_COLUMNS : isLogin ? LOGIN_COLUMNS : LOGOUT_COLUMNS
    if (!several) return base
    const cluster: Column<PreviewItem> = { key: 'cluster', label: 'Cluster', value: (item) => item.cluster === null ? null : clusterLabel(scope.clusters, item.cluster) }
    return [...base.slice(0, -1), cluster, ...base.slice(-1)]
  }, [byUsers, isLogin, several, scope.clusters])
  const labels = byUsers ? USER_CATEGORY_LABELS : PREVIEW_CATEGORY_LABELS
  const [show, setShow] = useState<'all' | Category>('all')
  const filter = useMemo(() => show === 'all' ? undefined : (item: PreviewItem) => item.category === show, [show])
  const view = useTableView(preview.items, columns, filter)
  const present = CATEGORIES.filter((category) => (preview.counts[category] ?? 0) > 0)
  const options = [
    { value: 'all', label: 'All', count: preview.items.length },
    ...present.map((category) => ({ value: category, label: labels[category], count: preview.counts[category] ?? 0 }))
  ]
  return (
    <div className='run-preview'>
      <ul className='count-list' aria-label='Preview counts'>
        {present.map((category) => (
          <li key={category}>
            <Badge tone={CATEGORY_TONES[category]}>{formatCount(preview.counts[category] ?? 0)}</Badge> {labels[category]}
          </li>
        ))}
        {preview.items.length === 0 && <li className='muted'>{byUsers ? 'No user to work on.' : 'No device to work on.'}</li>}
      </ul>
      {preview.problems.length > 0 && (
        <div className='notice notice-warn notice-compact' role='alert'>
          <p className='notice-title'>{preview.problems.length === 1 ? '1 row cannot be used' : `${formatCount(preview.problems.length)} rows cannot be used`} and will not run</p>
          <ul className='problem-list'>
            {preview.problems.slice(0, PROBLEMS_SHOWN).map((problem) => <li key={`${problem.line}-${problem.message}`} className='break-anywhere'>Line {problem.line}: {problem.message}</li>)}
          </ul>
          <MoreProblems total={preview.problems.length} />
        </div>
      )}
      {preview.items.length > 0 && (
        <>
          <div className='table-toolbar'>
            <FilterSelect id={`${id}-show`} value={show} options={options} onChange={(value) => setShow(value as typeof show)} />
            <button type='button' className='button button-ghost button-small' onClick={() => downloadCsv('em-console-preview.csv', [...columns, WHY], view.rows)}>Export CSV</button>
          </div>
          <div className={compact ? 'table-wrap table-scroll' : 'table-wrap'}>
            <table className='table table-dense' aria-label='Preview'>
              <thead>
                <tr>
                  {columns.map((column) => <SortHeader key={column.key} column={column} view={view} />)}
                </tr>
              </thead>
              <tbody>
                {view.shown.map((item, index) => (
                  <tr key={`${item.user ?? ''}-${item.device}-${index}`}>
                    {byUsers
                      ? (
                        <>
                          <th scope='row'>{item.user === null ? NOTHING : <UserId id={item.user} />}</th>
                          <td className='mono'>{item.device === '' ? NOTHING : displayDeviceName(item.device)}</td>
                        </>
                        )
                      : (
                        <>
                          <th scope='row' className='mono'>{displayDeviceName(item.device)}</th>
                          <td>{item.currentUser === null ? NOTHING : <UserId id={item.currentUser} />}</td>
                          {isLogin && <td>{item.user === null ? NOTHING : <UserId id={item.user} />}</td>}
                        </>
                        )}
                    {several && <td>{item.cluster === null ? NOTHING : clusterLabel(scope.clusters, item.cluster)}</td>}
                    <td>
                      <Badge tone={CATEGORY_TONES[item.category]}>{labels[item.category]}</Badge>
                      {item.reason !== undefined && <span className='muted small'> {item.reason}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <TablePager view={view} noun={byUsers ? 'rows' : 'devices'} />
        </>
      )}
    </div>
  )
}
