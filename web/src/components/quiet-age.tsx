import { formatAgo, formatDateTime } from '../lib/format.ts'

/**
 * "2 minutes ago" on screen, the moment itself to a screen reader. In a live region the ticking
 * words would be heard at every tick of the clock, over whatever the admin is reading; the moment
 * changes only when what it dates does (the inventory read again), and is heard then.
 */
export function QuietAge ({ at, now }: { at: string, now?: number }) {
  return (
    <time dateTime={at} title={formatDateTime(at)}>
      <span aria-hidden='true'>{formatAgo(at, now)}</span>
      <span className='visually-hidden'>{formatDateTime(at)}</span>
    </time>
  )
}
