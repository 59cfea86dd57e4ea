import { Suspense, useState } from 'react'
import type { Session } from '@em-console/shared/schemas'
import { Badge } from '../../../components/badge.tsx'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { ROLE_LABELS } from '../../../lib/authorization.tsx'
import { useSignOut } from '../api/sign-out.ts'
import { loadedLater } from '../../../lib/loaded-later.tsx'

/** Fetched when first opened: a person changes their password rarely, and every page load pays for the first script. */
const AccountDialog = loadedLater(async () => (await import('./account-dialog.tsx')).AccountDialog)

/** Who is signed in, with which role, their own account (password), and the way out. */
export function SessionMenu ({ session }: { session: Session }) {
  const signOut = useSignOut()
  const [accountOpen, setAccountOpen] = useState(false)
  // Kept once opened, so closing it hands the focus back to its button as a dialog does.
  const [accountShown, setAccountShown] = useState(false)
  return (
    <div className='session-menu'>
      <p className='session-user'>
        <span className='visually-hidden'>Signed in as </span>
        <span className='session-name' title={session.user}>{session.user}</span>{' '}
        <Badge tone={session.role === 'admin' ? 'info' : 'neutral'}>{ROLE_LABELS[session.role]}</Badge>
      </p>
      <button type='button' className='button button-ghost button-small' onClick={() => { setAccountShown(true); setAccountOpen(true) }} aria-haspopup='dialog'>Account</button>
      {accountShown && <Suspense fallback={null}><AccountDialog session={session} open={accountOpen} onClose={() => setAccountOpen(false)} /></Suspense>}
      <button type='button' className='button button-ghost button-small' onClick={() => signOut.mutate()} disabled={signOut.isPending}>
        {signOut.isPending ? 'Signing out…' : 'Sign out'}
      </button>
      {signOut.isError && (
        <div className='session-error'>
          <ErrorNotice error={signOut.error} title='Could not sign out' compact />
        </div>
      )}
    </div>
  )
}
