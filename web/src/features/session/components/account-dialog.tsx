import { useId, useState } from 'react'
import type { Session } from '@em-console/shared/schemas'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { ModalDialog } from '../../../components/modal-dialog.tsx'
import { TextField } from '../../../components/text-field.tsx'
import { NewPasswordField } from '../../../components/new-password-field.tsx'
import { ApiError, errorOnField } from '../../../lib/api-client.ts'
import { ROLE_LABELS } from '../../../lib/authorization.tsx'
import { useChangePassword } from '../api/change-password.ts'

interface AccountDialogProps {
  session: Session
  open: boolean
  onClose: () => void
}

/** The signed-in person's own account: who they are, and a new password (the current one asked first). */
export function AccountDialog ({ session, open, onClose }: AccountDialogProps) {
  const id = useId()
  const change = useChangePassword()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [repeat, setRepeat] = useState('')

  const field = change.error instanceof ApiError ? change.error.field : undefined
  const mismatch = repeat !== '' && repeat !== next ? 'The two new passwords differ.' : undefined
  const canSubmit = current !== '' && next !== '' && repeat === next && !change.isPending

  function close () {
    setCurrent('')
    setNext('')
    setRepeat('')
    change.reset()
    onClose()
  }

  return (
    <ModalDialog open={open} title='Your account' onClose={close} busy={change.isPending}>
      <p>
        User name <strong>{session.user}</strong>, role {ROLE_LABELS[session.role].toLowerCase()}.
      </p>
      <form
        aria-labelledby={`${id}-title`}
        onSubmit={(event) => {
          event.preventDefault()
          if (!canSubmit) return
          change.mutate({ currentPassword: current, newPassword: next }, {
            onSuccess: () => {
              setCurrent('')
              setNext('')
              setRepeat('')
            }
          })
        }}
      >
        <h3 id={`${id}-title`}>Change your password</h3>
        <TextField
          id={`${id}-current`}
          label='Current password'
          type='password'
          value={current}
          onChange={(event) => { setCurrent(event.target.value); if (field === 'currentPassword') change.reset() }}
          autoComplete='current-password'
          error={errorOnField(change.error, 'currentPassword')}
          data-autofocus
          required
        />
        <NewPasswordField
          id={`${id}-new`}
          label='New password'
          value={next}
          onChange={(event) => { setNext(event.target.value); if (field === 'newPassword') change.reset() }}
          error={errorOnField(change.error, 'newPassword')}
          required
        />
        <TextField
          id={`${id}-repeat`}
          label='New password again'
          type='password'
          value={repeat}
          onChange={(event) => setRepeat(event.target.value)}
          autoComplete='new-password'
          error={mismatch}
          required
        />
        <div className='button-row'>
          <button type='button' className='button button-ghost' onClick={close} disabled={change.isPending}>Done</button>
          <button type='submit' className='button button-primary' disabled={!canSubmit}>{change.isPending ? 'Changing…' : 'Change password'}</button>
        </div>
      </form>
      {change.isSuccess && (
        <div className='notice notice-success' role='status'>
          <p className='notice-message'>Your password is changed. Your other sessions were signed out; this one stays.</p>
        </div>
      )}
      {change.isError && field === undefined && <ErrorNotice error={change.error} title='Could not change the password' />}
    </ModalDialog>
  )
}
