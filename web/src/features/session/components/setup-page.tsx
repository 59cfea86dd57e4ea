import { useEffect, useId, useRef, useState } from 'react'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { TextField } from '../../../components/text-field.tsx'
import { NewPasswordField } from '../../../components/new-password-field.tsx'
import { ApiError, errorOnField } from '../../../lib/api-client.ts'
import { useSignInInfo } from '../api/get-sign-in-info.ts'
import { useSetup } from '../api/setup.ts'
import { AuthFrame } from './auth-frame.tsx'

interface SetupPageProps {
  /** The one-time token from the link in the server log (`#/setup?token=…`). */
  token: string
  /** Called once the first admin exists and is signed in. */
  onDone: () => void
}

/** Creates the first admin on a server without accounts. Only the token from the server log opens it. */
export function SetupPage ({ token, onDone }: SetupPageProps) {
  const [username, setUsername] = useState('admin')
  const [password, setPassword] = useState('')
  const [repeat, setRepeat] = useState('')
  const [mismatch, setMismatch] = useState(false)
  const info = useSignInInfo()
  const setup = useSetup()
  const id = useId()
  const usernameRef = useRef<HTMLInputElement>(null)

  const open = info.data?.setupRequired === true && token !== ''
  useEffect(() => {
    if (open) usernameRef.current?.focus()
  }, [open])

  const fieldError = setup.error instanceof ApiError ? setup.error.field : undefined
  const passwordError = mismatch ? 'The two passwords differ.' : errorOnField(setup.error, 'password')

  return (
    <AuthFrame title='Create the first admin'>
      {info.isPending && <p className='muted'>Loading…</p>}
      {info.isError && <ErrorNotice error={info.error} title='Could not reach the EM Console server' />}
      {info.data !== undefined && !info.data.setupRequired && (
        <div className='notice' role='status'>
          <p className='notice-title'>Setup is done</p>
          <p className='notice-message'>An account exists already, so this link no longer works.</p>
          <p className='notice-meta'><a href='#/overview'>Go to the sign-in page</a></p>
        </div>
      )}
      {info.data?.setupRequired === true && token === '' && (
        <div className='notice notice-warn' role='status'>
          <p className='notice-message'>
            This page needs the one-time link that the server printed in its log when it started
            (it ends in <span className='mono'>#/setup?token=…</span>). Open that link.
          </p>
        </div>
      )}
      {open && (
        <>
          <p className='muted'>No account exists yet. The admin you create here can then create accounts for everyone else.</p>
          <form
            className='auth-form'
            onSubmit={(event) => {
              event.preventDefault()
              const differ = password !== repeat
              setMismatch(differ)
              if (differ || setup.isPending) return
              setup.mutate({ token, username: username.trim(), password }, { onSuccess: onDone })
            }}
          >
            <TextField
              ref={usernameRef}
              id={`${id}-username`}
              label='User name'
              value={username}
              onChange={(event) => setUsername(event.target.value)}
              autoComplete='username'
              autoCapitalize='none'
              spellCheck={false}
              invalid={fieldError === 'username'}
              required
            />
            <NewPasswordField
              id={`${id}-password`}
              label='Password'
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              invalid={passwordError !== undefined}
              required
            />
            <TextField
              id={`${id}-repeat`}
              label='Repeat the password'
              type='password'
              value={repeat}
              onChange={(event) => setRepeat(event.target.value)}
              autoComplete='new-password'
              invalid={mismatch}
              required
            />
            {passwordError !== undefined && <p className='field-error' role='alert'>{passwordError}</p>}
            <button type='submit' className='button button-primary button-block' disabled={setup.isPending}>
              {setup.isPending ? 'Creating…' : 'Create admin and sign in'}
            </button>
          </form>
          {setup.isError && fieldError !== 'password' && <ErrorNotice error={setup.error} title='Setup failed' />}
        </>
      )}
    </AuthFrame>
  )
}
