import { useId, useRef, useState } from 'react'
import type { Role } from '@em-console/shared/schemas'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { TextField } from '../../../components/text-field.tsx'
import { ApiError, errorOnField } from '../../../lib/api-client.ts'
import { NewPasswordField } from '../../../components/new-password-field.tsx'
import { ACCOUNT_NAME, fieldProblem, hintOf } from '@em-console/shared/field-rules'
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES } from '../../../lib/authorization.tsx'
import { useCreateAccount } from '../api/create-account.ts'

/** Username, password and role; the server's verdict on a field shows under that field. */
export function CreateAccountForm () {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [role, setRole] = useState<Role>('viewer')
  const create = useCreateAccount()
  const id = useId()
  const usernameRef = useRef<HTMLInputElement>(null)

  const field = create.error instanceof ApiError ? create.error.field : undefined
  const usernameProblem = fieldProblem(ACCOUNT_NAME, username.trim())
  const usernameError = usernameProblem ?? errorOnField(create.error, 'username')
  const passwordError = errorOnField(create.error, 'password')
  const canSubmit = username.trim() !== '' && usernameProblem === undefined && password !== '' && !create.isPending

  return (
    <section className='card' aria-labelledby={`${id}-title`}>
      <header className='card-header'>
        <h2 id={`${id}-title`}>Create an account</h2>
      </header>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          if (!canSubmit) return
          create.mutate({ username: username.trim(), password, role }, {
            onSuccess: () => {
              setUsername('')
              setPassword('')
              usernameRef.current?.focus()
            }
          })
        }}
      >
        <div className='form-grid'>
          <TextField
            ref={usernameRef}
            id={`${id}-username`}
            label='User name'
            value={username}
            onChange={(event) => { setUsername(event.target.value); if (field === 'username') create.reset() }}
            autoComplete='off'
            autoCapitalize='none'
            spellCheck={false}
            hint={`${hintOf(ACCOUNT_NAME)}.`}
            error={usernameError}
            required
          />
          <NewPasswordField
            id={`${id}-password`}
            label='Password'
            value={password}
            onChange={(event) => { setPassword(event.target.value); if (field === 'password') create.reset() }}
            error={passwordError}
            required
          />
          <div className='field'>
            <label className='field-label' htmlFor={`${id}-role`}>Role</label>
            <select id={`${id}-role`} className='input' value={role} onChange={(event) => setRole(event.target.value as Role)} aria-describedby={`${id}-role-hint`}>
              {ROLES.map((option) => <option key={option} value={option}>{ROLE_LABELS[option]}</option>)}
            </select>
            <span id={`${id}-role-hint`} className='field-hint'>{ROLE_DESCRIPTIONS[role]}.</span>
          </div>
        </div>
        <div className='button-row button-row-start'>
          <button type='submit' className='button button-primary' disabled={!canSubmit}>{create.isPending ? 'Creating…' : 'Create account'}</button>
        </div>
      </form>
      {create.isSuccess && (
        <div className='notice notice-success' role='status'>
          <p className='notice-message'>Created {ROLE_LABELS[create.data.role].toLowerCase()} account <strong>{create.data.username}</strong>.</p>
        </div>
      )}
      {create.isError && field === undefined && <ErrorNotice error={create.error} title='Could not create the account' />}
    </section>
  )
}
