import type { InvalidName } from '../lib/device-names.ts'
import { DEVICE_NAME } from '@em-console/shared/field-rules'

/** Long entries are cut in the list: the point is which one, not all of it. */
function shorten (text: string): string {
  return text.length > 24 ? `${text.slice(0, 20)}…` : text
}

/** The entries of a pasted list that cannot be device names, each with what is wrong with it. */
export function InvalidNamesNotice ({ invalid, outcome }: { invalid: InvalidName[], outcome: string }) {
  if (invalid.length === 0) return null
  return (
    <div className='notice notice-warn notice-compact' role='alert'>
      <p className='notice-message'>
        {invalid.length === 1 ? '1 entry is not a device name' : `${invalid.length} entries are not device names`} and {outcome}. Device names have {DEVICE_NAME.allowed}.
      </p>
      <ul className='problem-list'>
        {invalid.slice(0, 20).map((entry) => <li key={entry.text}><span className='mono break-anywhere'>{shorten(entry.text)}</span>: {entry.problem}</li>)}
      </ul>
      {invalid.length > 20 && <p className='small'>And {invalid.length - 20} more.</p>}
    </div>
  )
}
