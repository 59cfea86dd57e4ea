import { useEffect, useId, useRef, useState } from 'react'
import type { SignInBody } from '@em-console/shared/schemas'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { TextField } from '../../../components/text-field.tsx'
import { useSignInInfo } from '../api/get-sign-in-info.ts'
import { useSignIn } from '../api/sign-in.ts'
import { AuthFrame } from './auth-frame.tsx'

interface SignInPageProps {
  /** The session ended under the user (expiry, or signed out elsewhere): say so above the form. */
  sessionEnded?: boolean
}

/**
 * The page everyone sees before signing in. The URL's hash stays as it was, so after signing in
 * the user is back on the screen they were on. In demo mode it shows the demo admin's credentials.
 */
export function SignInPage ({ sessionEnded = false }: SignInPageProps) {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const info = useSignInInfo()
  const signIn = useSignIn()
  const id = useId()
  const usernameRef = useRef<HTMLInputElement>(null)
  const passwordRef = useRef<HTMLInputElement>(null)

  useEffect(() => {
    usernameRef.current?.focus()
  }, [])

  function submit (body: SignInBody) {
    signIn.mutate(body, {
      // After a refusal the cursor goes back to the password, selected, ready to type again.
      onError: () => {
        requestAnimationFrame(() => {
          passwordRef.current?.focus()
          passwordRef.current?.select()
        })
      }
    })
  }

  const demo = info.data?.demoCredentials
  const canSubmit = username.trim() !== '' && password !== '' && !signIn.isPending

  return (
    <AuthFrame title='Sign in'>
      {sessionEnded && (
        <div className='notice notice-warn' role='status'>
          <p className='notice-message'>Your session ended. Sign in again to continue where you were.</p>
        </div>
      )}
      {info.data?.setupRequired === true && (
        <div className='notice' role='status'>
          <p className='notice-title'>No account exists yet</p>
          <p className='notice-message'>
            Open the one-time setup link that the server printed in its log (it ends in <span className='mono'>#/setup?token=…</span>)
            to create the first admin, or set <span className='mono'>ADMIN_USERNAME</span> and <span className='mono'>ADMIN_PASSWORD</span> and restart it.
          </p>
        </div>
      )}
      <form
        className='auth-form'
        onSubmit={(event) => {
          event.preventDefault()
          if (canSubmit) submit({ username: username.trim(), password })
        }}
      >
        <TextField
          ref={usernameRef}
          id={`${id}-username`}
          label='User name'
          name='username'
          value={username}
          onChange={(event) => setUsername(event.target.value)}
          autoComplete='username'
          autoCapitalize='none'
          spellCheck={false}
          required
        />
        <TextField
          ref={passwordRef}
          id={`${id}-password`}
          label='Password'
          type='password'
          name='password'
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          autoComplete='current-password'
          invalid={signIn.isError}
          describedBy={signIn.isError ? `${id}-error` : undefined}
          required
        />
        <button type='submit' className='button button-primary button-block' disabled={!canSubmit}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {signIn.isError && <ErrorNotice id={`${id}-error`} error={signIn.error} title='Sign-in failed' />}

      {demo !== undefined && (
        <section className='demo-box' aria-labelledby={`${id}-demo`}>
          <h2 id={`${id}-demo`}>Demo account</h2>
          <p className='small muted'>
            This server runs in demo mode against its built-in CUCM simulator; no real phone is touched.
            Sign in as its admin:
          </p>
          <dl className='facts facts-stacked'>
            <div><dt>User name</dt><dd className='mono'>{demo.username}</dd></div>
            <div><dt>Password</dt><dd className='mono'>{demo.password}</dd></div>
          </dl>
          <button
            type='button'
            className='button button-block'
            disabled={signIn.isPending}
            onClick={() => {
              setUsername(demo.username)
              setPassword(demo.password)
              submit(demo)
            }}
          >
            Use demo account
          </button>
        </section>
      )}
      {info.isError && <ErrorNotice error={info.error} title='Could not reach the EM Console server' compact />}
    </AuthFrame>
  )
}
