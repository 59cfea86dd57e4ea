import type { Preview, PreviewItem } from '@em-console/shared/schemas'
import { Badge, type Tone } from './badge.tsx'

type Category = PreviewItem['category']

export const PREVIEW_CATEGORY_LABELS: Record<Category, string> = {
  'will-logout': 'Will be logged out',
  'will-login': 'Will be logged in',
  empty: 'Already empty',
  occupied: 'Occupied',
  excluded: 'Excluded',
  unknown: 'Unknown device'
}
const CATEGORIES = Object.keys(PREVIEW_CATEGORY_LABELS) as Category[]

const CATEGORY_TONES: Record<Category, Tone> = {
  'will-logout': 'info',
  'will-login': 'info',
  empty: 'neutral',
  occupied: 'bad',
  excluded: 'warn',
  unknown: 'warn'
}

/** The table shows this many rows; the counts always cover every item. */
const MAX_ROWS = 500

interface RunPreviewProps {
  preview: Preview
  /** In a dialog: the table scrolls within a short box. */
  compact?: boolean
}

/** What a bulk run would do: counts per category, the CSV rows that cannot be used, and every device. */
export function RunPreview ({ preview, compact = false }: RunPreviewProps) {
  const isLogin = preview.action === 'login'
  const shown = preview.items.slice(0, MAX_ROWS)
  return (
    <div className='run-preview'>
      <ul className='count-list' aria-label='Preview counts'>
        {CATEGORIES.filter((category) => (preview.counts[category] ?? 0) > 0).map((category) => (
          <li key={category}>
            <Badge tone={CATEGORY_TONES[category]}>{preview.counts[category]}</Badge> {PREVIEW_CATEGORY_LABELS[category]}
          </li>
        ))}
        {preview.items.length === 0 && <li className='muted'>No device to work on.</li>}
      </ul>
      {preview.problems.length > 0 && (
        <div className='notice notice-warn notice-compact' role='alert'>
          <p className='notice-title'>{preview.problems.length === 1 ? '1 row cannot be used' : `${preview.problems.length} rows cannot be used`} and will not run</p>
          <ul className='problem-list'>
            {preview.problems.map((problem) => <li key={`${problem.line}-${problem.message}`}>Line {problem.line}: {problem.message}</li>)}
          </ul>
        </div>
      )}
      {shown.length > 0 && (
        <div className={compact ? 'table-wrap table-scroll' : 'table-wrap'}>
          <table className='table table-dense' aria-label='Preview'>
            <thead>
              <tr>
                <th scope='col'>Device</th>
                <th scope='col'>Current user</th>
                {isLogin && <th scope='col'>User to log in</th>}
                <th scope='col'>What happens</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((item, index) => (
                <tr key={`${item.device}-${index}`}>
                  <th scope='row' className='mono'>{item.device}</th>
                  <td>{item.currentUser ?? <span className='muted'>—</span>}</td>
                  {isLogin && <td>{item.user ?? <span className='muted'>—</span>}</td>}
                  <td>
                    <Badge tone={CATEGORY_TONES[item.category]}>{PREVIEW_CATEGORY_LABELS[item.category]}</Badge>
                    {item.reason !== undefined && <span className='muted small'> {item.reason}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {preview.items.length > shown.length && <p className='muted small'>Showing the first {MAX_ROWS} of {preview.items.length} devices.</p>}
    </div>
  )
}
