import { useId, useRef, useState } from 'react'
import type { Role } from '@em-console/shared/schemas'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { ApiError } from '../../../lib/api-client.ts'
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES } from '../../../lib/authorization.tsx'
import { useCreateAccount } from '../api/create-account.ts'

export const PASSWORD_RULE = 'At least 12 characters, and not containing the user name.'

/** Username, password and role; the server's verdict on a field shows under that field. */
export function CreateAccountForm () {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [role, setRole] = useState<Role>('viewer')
  const create = useCreateAccount()
  const id = useId()
  const usernameRef = useRef<HTMLInputElement>(null)

  const field = create.error instanceof ApiError ? create.error.field : undefined
  const usernameError = field === 'username' ? create.error?.message : undefined
  const passwordError = field === 'password' ? create.error?.message : undefined
  const canSubmit = username.trim() !== '' && password !== '' && !create.isPending

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
          <div className='field'>
            <label className='field-label' htmlFor={`${id}-username`}>User name</label>
            <input
              ref={usernameRef}
              id={`${id}-username`}
              className='input'
              value={username}
              onChange={(event) => { setUsername(event.target.value); if (field === 'username') create.reset() }}
              autoComplete='off'
              autoCapitalize='none'
              spellCheck={false}
              aria-invalid={usernameError !== undefined ? true : undefined}
              aria-describedby={`${id}-username-hint`}
              required
            />
            {usernameError !== undefined
              ? <span id={`${id}-username-hint`} className='field-error' role='alert'>{usernameError}</span>
              : <span id={`${id}-username-hint`} className='field-hint'>Letters, digits, dot, dash, underscore and @.</span>}
          </div>
          <div className='field'>
            <label className='field-label' htmlFor={`${id}-password`}>Password</label>
            <input
              id={`${id}-password`}
              className='input'
              type='password'
              value={password}
              onChange={(event) => { setPassword(event.target.value); if (field === 'password') create.reset() }}
              autoComplete='new-password'
              aria-invalid={passwordError !== undefined ? true : undefined}
              aria-describedby={`${id}-password-hint`}
              required
            />
            {passwordError !== undefined
              ? <span id={`${id}-password-hint`} className='field-error' role='alert'>{passwordError}</span>
              : <span id={`${id}-password-hint`} className='field-hint'>{PASSWORD_RULE}</span>}
          </div>
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
