import { useId, useRef, useState } from 'react'
import type { Account, Role } from '@em-console/shared/schemas'
import { Badge } from '../../../components/badge.tsx'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { InlineConfirm } from '../../../components/inline-confirm.tsx'
import { ModalDialog } from '../../../components/modal-dialog.tsx'
import { NewPasswordField } from '../../../components/new-password-field.tsx'
import { PASSWORD_POLICY } from '@em-console/shared/field-rules'
import { errorOnField } from '../../../lib/api-client.ts'
import { ROLE_LABELS, ROLES } from '../../../lib/authorization.tsx'
import { formatDateTime, formatShortDateTime, formatTime } from '../../../lib/format.ts'
import { useAccounts } from '../api/get-accounts.ts'
import { useUpdateAccount } from '../api/update-account.ts'

interface AccountsTableProps {
  /** The signed-in user, marked "you" in the list. */
  currentUser: string
  /** After a change to the signed-in user's own account (the role shown in the shell may change). */
  onOwnAccountChanged: () => void
}

export function AccountsTable ({ currentUser, onOwnAccountChanged }: AccountsTableProps) {
  const accounts = useAccounts()
  const list = accounts.data?.accounts ?? []
  const id = useId()

  return (
    <section className='card' aria-labelledby={`${id}-title`}>
      <header className='card-header'>
        <h2 id={`${id}-title`}>Accounts</h2>
        {accounts.isFetching && <span className='muted small'>Refreshing…</span>}
      </header>
      {accounts.isPending && <p className='muted'>Loading accounts…</p>}
      {accounts.isError && <ErrorNotice error={accounts.error} title='Could not read the accounts' />}
      {list.length > 0 && (
        <div className='table-wrap'>
          <table className='table'>
            <thead>
              <tr>
                <th scope='col'>User name</th>
                <th scope='col'>Role</th>
                <th scope='col'>Status</th>
                <th scope='col' className='head-wrap'>Last sign-in <span className='head-note'>(your time)</span></th>
                <th scope='col' className='head-wrap'>Created <span className='head-note'>(your time)</span></th>
                <th scope='col'><span className='visually-hidden'>Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {list.map((account) => (
                <AccountRow
                  key={account.id}
                  account={account}
                  isYou={account.username === currentUser}
                  onOwnAccountChanged={onOwnAccountChanged}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

interface AccountRowProps {
  account: Account
  isYou: boolean
  onOwnAccountChanged: () => void
}

function AccountRow ({ account, isYou, onOwnAccountChanged }: AccountRowProps) {
  const update = useUpdateAccount()
  // The role picked here and not saved yet; none shows the account's role as the server holds it
  // now (another admin may change it while this list is open: it is read again on focus).
  const [picked, setPicked] = useState<Role>()
  const role = picked ?? account.role
  const [resetting, setResetting] = useState(false)
  const [lastChange, setLastChange] = useState('')
  const name = account.username
  // Save and Cancel go once pressed: the role's select, where the choice was made, takes the focus.
  const roleRef = useRef<HTMLSelectElement>(null)
  // Disable and Enable take each other's place: one id, so the focus goes on to the one drawn (lib/focus-keeper.ts).
  const switchId = `${useId()}-switch`
  // Busy while its own change is on its way, not while the list reads again after it.
  const switching = (disabled: boolean): boolean => update.isPending && update.variables.body.disabled === disabled

  function change (body: { role?: Role, disabled?: boolean }, description: string) {
    setLastChange(description)
    update.mutate({ id: account.id, body }, {
      onSuccess: () => {
        setPicked(undefined)
        if (isYou) onOwnAccountChanged()
      },
      // A refused change (e.g. the last admin) puts the select back to what the server holds.
      onError: () => { setPicked(undefined) }
    })
  }

  const finished = update.isSuccess || update.isError
  return (
    <>
      <tr className={finished ? 'row-with-message' : undefined}>
        <th scope='row'>
          {name} {isYou && <span className='muted small'>(you)</span>}
        </th>
        <td>
          <div className='inline-confirm inline-start'>
            <select
              ref={roleRef}
              className='input input-compact'
              aria-label={`Role of ${name}`}
              value={role}
              onChange={(event) => { update.reset(); setPicked(event.target.value as Role) }}
              disabled={update.isPending}
            >
              {ROLES.map((option) => <option key={option} value={option}>{ROLE_LABELS[option]}</option>)}
            </select>
            {role !== account.role && (
              <>
                <button type='button' className='button button-primary button-small' aria-label={`Save role of ${name}`} onClick={() => { roleRef.current?.focus(); change({ role }, `${name} is now ${ROLE_LABELS[role].toLowerCase()}.`) }}>Save</button>
                <button type='button' className='button button-ghost button-small' onClick={() => { roleRef.current?.focus(); setPicked(undefined) }}>Cancel</button>
              </>
            )}
          </div>
        </td>
        <td>
          {account.disabled
            ? <Badge tone='bad'>Disabled</Badge>
            : account.lockedUntil !== undefined
              ? (
                <>
                  <Badge tone='warn'>Locked</Badge>
                  <span className='cell-sub small muted'>Too many failed sign-ins: until {formatTime(account.lockedUntil)}. A new password unlocks it.</span>
                </>
                )
              : <Badge tone='ok'>Active</Badge>}
        </td>
        <td className='cell-nowrap'>{account.lastSignInAt === null ? <span className='muted'>Never</span> : <CellTime iso={account.lastSignInAt} />}</td>
        <td className='cell-nowrap'><CellTime iso={account.createdAt} /></td>
        <td className='cell-actions'>
          <div className='inline-confirm row-actions'>
            {account.disabled && (
              <button id={switchId} type='button' className='button button-small' aria-label={`Enable ${name}`} disabled={switching(false)} onClick={() => change({ disabled: false }, `${name} can sign in again.`)}>Enable</button>
            )}
            {!account.disabled && (
              <InlineConfirm
                id={switchId}
                label='Disable'
                name={`Disable ${name}`}
                busy={switching(true)}
                question={`Disable ${name}${isYou ? ' (you)' : ''}? Their sessions end.`}
                groupName={`Confirm disabling ${name}`}
                confirmLabel='Confirm'
                onOpen={() => update.reset()}
                onConfirm={() => change({ disabled: true }, `${name} is disabled and signed out.`)}
              />
            )}
            <button type='button' className='button button-ghost button-small' aria-label={`Reset password of ${name}`} onClick={() => setResetting(true)}>Reset password…</button>
          </div>
          <ResetPasswordDialog account={account} open={resetting} onClose={() => setResetting(false)} />
        </td>
      </tr>
      {finished && (
        <tr className='row-message' aria-label={`Result for ${name}`}>
          <td colSpan={6}>
            {update.isSuccess && <p className='inline-result' role='status'><Badge tone='ok'>Saved</Badge> {lastChange}</p>}
            {update.isError && <ErrorNotice error={update.error} title={`Could not change ${name}`} compact />}
          </td>
        </tr>
      )}
    </>
  )
}

/** A date as the other tables write it (their headers say "your time"); the whole one, year and zone, on hover. */
function CellTime ({ iso }: { iso: string }) {
  return <time dateTime={iso} title={formatDateTime(iso)}>{formatShortDateTime(iso)}</time>
}

function ResetPasswordDialog ({ account, open, onClose }: { account: Account, open: boolean, onClose: () => void }) {
  const update = useUpdateAccount()
  const [password, setPassword] = useState('')
  const id = useId()
  const fieldError = errorOnField(update.error, 'password')

  function close () {
    setPassword('')
    update.reset()
    onClose()
  }

  return (
    <ModalDialog open={open} title={`Reset the password of ${account.username}`} busy={update.isPending} onClose={close}>
      {!update.isSuccess && (
        <form
          onSubmit={(event) => {
            event.preventDefault()
            if (password !== '' && !update.isPending) update.mutate({ id: account.id, body: { password } })
          }}
        >
          <NewPasswordField
            id={`${id}-password`}
            label='New password'
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            hint={`${PASSWORD_POLICY} ${account.username} is signed out everywhere.`}
            error={fieldError}
            hintId={`${id}-hint`}
            data-autofocus
            required
          />
          {update.isError && fieldError === undefined && <ErrorNotice error={update.error} title='Could not set the password' />}
          <div className='button-row'>
            <button type='button' className='button button-ghost' onClick={close}>Cancel</button>
            <button type='submit' className='button button-primary' disabled={password === '' || update.isPending}>
              {update.isPending ? 'Setting…' : 'Set password'}
            </button>
          </div>
        </form>
      )}
      {update.isSuccess && (
        <div className='result' role='status'>
          <div className='notice notice-success'>
            <p className='notice-message'>The password of <strong>{account.username}</strong> was changed and their sessions ended.</p>
          </div>
          <div className='button-row'>
            <button type='button' className='button' onClick={close} autoFocus>Done</button>
          </div>
        </div>
      )}
    </ModalDialog>
  )
}
