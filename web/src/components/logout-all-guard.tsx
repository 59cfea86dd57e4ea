import { LOGOUT_ALL_CONFIRMATION } from '../lib/logout-all-phrase.ts'

/**
 * What a cluster-wide logout does, said the same way wherever one can be started; `where` names
 * the clusters when there are several ("on HQ", "on every cluster").
 */
export function LogoutAllConsequences ({ where = 'on the cluster' }: { where?: string }) {
  return (
    <ul className='consequences'>
      <li>Every Extension Mobility user {where} is logged out, wherever they are.</li>
      <li>Their phones restart and return to their base profile; calls in progress on them may drop.</li>
      <li>CUCM sends a burst of change notifications: Cisco recommends doing this off-peak.</li>
    </ul>
  )
}

/** The typed confirmation every path to logging out all EM users asks for (the Overview's button, Run now). */
export function ConfirmPhraseField ({ value, onChange }: { value: string, onChange: (value: string) => void }) {
  return (
    <label className='field'>
      <span className='field-label'>Type <strong className='mono'>{LOGOUT_ALL_CONFIRMATION}</strong> to confirm</span>
      <input
        className='input mono'
        value={value}
        onChange={(event) => onChange(event.target.value)}
        autoComplete='off'
        spellCheck={false}
        data-autofocus
      />
    </label>
  )
}

export function isConfirmPhrase (typed: string): boolean {
  return typed === LOGOUT_ALL_CONFIRMATION
}
