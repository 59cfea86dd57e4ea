import type { InvalidName } from '../lib/device-names.ts'
import { formatCount } from '../lib/format.ts'
import { DEVICE_NAME, USER_ID } from '@em-console/shared/field-rules'

const KINDS = {
  device: { one: 'a device name', many: 'device names', rule: DEVICE_NAME },
  user: { one: 'a user ID', many: 'user IDs', rule: USER_ID }
}

/** How many problems a list shows: a file of thousands of bad rows must not bury the rest of the page. */
export const PROBLEMS_SHOWN = 20

/** What a list of problems cut at PROBLEMS_SHOWN leaves out. */
export function MoreProblems ({ total }: { total: number }) {
  return total > PROBLEMS_SHOWN ? <p className='small'>And {formatCount(total - PROBLEMS_SHOWN)} more.</p> : null
}

/** Long entries are cut in the list: the point is which one, not all of it. */
function shorten (text: string): string {
  return text.length > 24 ? `${text.slice(0, 20)}…` : text
}

/** The entries of a pasted list that cannot be device names (or user IDs), each with what is wrong with it. */
export function InvalidNamesNotice ({ invalid, outcome, kind = 'device', id }: { invalid: InvalidName[], outcome: string, kind?: keyof typeof KINDS, id?: string }) {
  if (invalid.length === 0) return null
  const words = KINDS[kind]
  return (
    <div id={id} className='notice notice-warn notice-compact' role='alert'>
      <p className='notice-message'>
        {invalid.length === 1 ? `1 entry is not ${words.one}` : `${formatCount(invalid.length)} entries are not ${words.many}`} and {outcome}. {words.rule.label}s have {words.rule.allowed}.
      </p>
      <ul className='problem-list'>
        {invalid.slice(0, PROBLEMS_SHOWN).map((entry) => <li key={entry.text}><span className='mono break-anywhere'>{shorten(entry.text)}</span>: {entry.problem}</li>)}
      </ul>
      <MoreProblems total={invalid.length} />
    </div>
  )
}

/** How a pasted list was read where that is not as typed (parseDeviceNames' notes): said, so nobody is surprised by what is asked. */
export function ReadNotes ({ notes, id }: { notes: readonly string[] | undefined, id?: string }) {
  if (notes === undefined || notes.length === 0) return null
  return <p id={id} className='field-hint' role='status'>{notes.join(' ')}</p>
}
