import { useState } from 'react'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { ModalDialog } from '../../../components/modal-dialog.tsx'
import { auditHref } from '../../../lib/audit-link.ts'
import { LOGOUT_ALL_CONFIRMATION, useLogoutAll } from '../api/logout-all.ts'

/** The big red button, and the dialog that makes sure the admin means it. */
export function LogoutAllPanel () {
  const [open, setOpen] = useState(false)
  const [typed, setTyped] = useState('')
  const logoutAll = useLogoutAll()
  const confirmed = typed === LOGOUT_ALL_CONFIRMATION
  const running = logoutAll.isPending

  function openDialog () {
    logoutAll.reset()
    setTyped('')
    setOpen(true)
  }

  return (
    <section className='card card-danger' aria-labelledby='logout-all-title'>
      <header className='card-header'>
        <h2 id='logout-all-title'>Log out everyone</h2>
      </header>
      <p className='muted'>
        Ends every Extension Mobility login on the cluster in one request. Use it at the end of a shift
        or when phones must be returned to their base state.
      </p>
      <button type='button' className='button button-danger button-large' onClick={openDialog} disabled={running}>
        {running ? 'Logging out all EM users…' : 'Log out all EM users'}
      </button>

      <ModalDialog open={open} title='Log out all EM users?' tone='danger' busy={running} onClose={() => setOpen(false)}>
        {logoutAll.isIdle && (
          <form
            onSubmit={(event) => {
              event.preventDefault()
              if (confirmed && !running) logoutAll.mutate()
            }}
          >
            <ul className='consequences'>
              <li>Every Extension Mobility user on the cluster is logged out, wherever they are.</li>
              <li>Their phones restart and return to their base profile; calls in progress on them may drop.</li>
              <li>CUCM sends a burst of change notifications: Cisco recommends doing this off-peak.</li>
            </ul>
            <label className='field'>
              <span className='field-label'>Type <strong className='mono'>{LOGOUT_ALL_CONFIRMATION}</strong> to confirm</span>
              <input
                className='input mono'
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
                autoComplete='off'
                spellCheck={false}
                data-autofocus
              />
            </label>
            <div className='button-row'>
              <button type='button' className='button button-ghost' onClick={() => setOpen(false)}>Cancel</button>
              <button type='submit' className='button button-danger' disabled={!confirmed}>Log out all users</button>
            </div>
          </form>
        )}
        {running && (
          <div className='progress-block' role='status' aria-live='polite'>
            <div className='progress-bar' aria-hidden='true'><span /></div>
            <p>Logging out all EM users… CUCM may take a minute to answer.</p>
          </div>
        )}
        {logoutAll.isSuccess && (
          <div className='result' role='status'>
            <div className='notice notice-success'>
              <p className='notice-title'>All EM users were logged out</p>
              <p className='notice-message'>{logoutAll.data.message}</p>
              <p className='notice-meta'><a href={auditHref(logoutAll.data.auditId)} onClick={() => setOpen(false)}>View audit record #{logoutAll.data.auditId}</a></p>
            </div>
            <p className='muted small'>Phones can take a few minutes to drop their users; CUCM caches login state for about two minutes.</p>
            <div className='button-row'>
              <button type='button' className='button' onClick={() => setOpen(false)} autoFocus>Done</button>
            </div>
          </div>
        )}
        {logoutAll.isError && (
          <div className='result'>
            <ErrorNotice error={logoutAll.error} title='Log out all failed' />
            <div className='button-row'>
              <button type='button' className='button button-ghost' onClick={() => setOpen(false)}>Close</button>
              <button type='button' className='button button-danger' onClick={() => logoutAll.mutate()} autoFocus>Try again</button>
            </div>
          </div>
        )}
      </ModalDialog>
    </section>
  )
}
