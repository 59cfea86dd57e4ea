import { useId, useState } from 'react'
import type { ActionResult } from '@em-console/shared/schemas'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { ModalDialog } from '../../../components/modal-dialog.tsx'
import { RunPreview } from '../../../components/run-preview.tsx'
import { auditHref } from '../../../lib/audit-link.ts'
import { formatRelative, plural } from '../../../lib/format.ts'
import { runHref } from '../../../lib/run-link.ts'
import { ConfirmPhraseField, isConfirmPhrase, LogoutAllConsequences } from '../../../components/logout-all-guard.tsx'
import { useLogoutAll } from '../api/logout-all.ts'
import { usePreviewSavedList, useStartSavedListRun } from '../api/saved-list-run.ts'

type Mode = 'cluster' | 'saved-list'

/**
 * The result of a cluster-wide logout may one day say how many users it ended (a future API field
 * from the inventory); EMAPI's logoutAll itself does not tell, so no number is shown without it.
 */
type LogoutAllResult = ActionResult & { loggedOut?: number }

/** The question before, then what happened: the dialog's title never keeps asking once it is done. */
function dialogTitle (logoutAll: ReturnType<typeof useLogoutAll>): string {
  if (logoutAll.isPending) return 'Logging out all EM users…'
  if (logoutAll.isError) return 'Log out all EM users failed'
  if (logoutAll.isSuccess) {
    const count = (logoutAll.data as LogoutAllResult).loggedOut
    return count === undefined ? 'All EM users logged out' : `All EM users logged out: ${plural(count, 'user')}`
  }
  return 'Log out all EM users?'
}

/** From the AXL inventory, when it is set up: who a cluster-wide logout would end. */
export interface LoggedInCount {
  users: number
  phones: number
  asOf: string | null
}

/** The big red button, and the dialog that makes sure the admin means it. */
export function LogoutAllPanel ({ loggedIn }: { loggedIn?: LoggedInCount }) {
  const [open, setOpen] = useState(false)
  const [typed, setTyped] = useState('')
  const [mode, setMode] = useState<Mode>('cluster')
  const logoutAll = useLogoutAll()
  const preview = usePreviewSavedList()
  const start = useStartSavedListRun()
  const id = useId()
  const confirmed = isConfirmPhrase(typed)
  const running = logoutAll.isPending || start.isPending
  const toLogOut = preview.data === undefined ? 0 : (preview.data.counts['will-logout'] ?? 0) + (preview.data.counts.empty ?? 0)
  const canSubmit = confirmed && !running && (mode === 'cluster' || toLogOut > 0)

  function openDialog () {
    logoutAll.reset()
    preview.reset()
    start.reset()
    setTyped('')
    setMode('cluster')
    setOpen(true)
  }

  function chooseMode (next: Mode) {
    setMode(next)
    start.reset()
    // The list and the phones' state may have changed since the last look: look again.
    if (next === 'saved-list') preview.mutate()
  }

  function submit () {
    if (!canSubmit) return
    if (mode === 'cluster') {
      logoutAll.mutate()
      return
    }
    start.mutate(undefined, {
      onSuccess: (started) => {
        setOpen(false)
        window.location.hash = runHref(started.id)
      }
    })
  }

  return (
    <section className='card card-danger' aria-labelledby='logout-all-title'>
      <header className='card-header'>
        <h2 id='logout-all-title'>Log out everyone</h2>
      </header>
      <p className='muted'>
        Ends every Extension Mobility login on the cluster in one request, or works through the first device list of Settings
        one phone at a time. Use it at the end of a shift or when phones must be returned to their base state.
      </p>
      <button type='button' className='button button-danger button-large' onClick={openDialog} disabled={running}>
        {running ? 'Logging out all EM users…' : 'Log out all EM users'}
      </button>

      <ModalDialog open={open} title={dialogTitle(logoutAll)} tone='danger' size={mode === 'saved-list' ? 'wide' : 'default'} busy={running} onClose={() => setOpen(false)}>
        {logoutAll.isIdle && (
          <form
            onSubmit={(event) => {
              event.preventDefault()
              submit()
            }}
          >
            <fieldset className='fieldset fieldset-first'>
              <legend className='field-label'>How</legend>
              <div className='choice-stack'>
                <label className='choice'>
                  <input type='radio' name={`${id}-mode`} checked={mode === 'cluster'} onChange={() => chooseMode('cluster')} disabled={running} />
                  Cluster-wide (EMAPI logoutAll)
                </label>
                <label className='choice'>
                  <input type='radio' name={`${id}-mode`} checked={mode === 'saved-list'} onChange={() => chooseMode('saved-list')} disabled={running} />
                  One by one from the first device list
                </label>
              </div>
            </fieldset>
            {mode === 'cluster' && loggedIn !== undefined && (
              <p className='logout-all-count' role='status'>
                This logs out <strong>{plural(loggedIn.users, 'user')}</strong> on {plural(loggedIn.phones, 'phone')}
                {loggedIn.asOf !== null && <> (inventory as of <time dateTime={loggedIn.asOf}>{formatRelative(loggedIn.asOf)}</time>; anyone who logged in since is logged out too)</>}.
              </p>
            )}
            {mode === 'cluster' && <LogoutAllConsequences />}
            {mode === 'saved-list' && (
              <div className='saved-list-preview'>
                <p className='small'>
                  Logs out each device of the <a href='#/settings' onClick={() => setOpen(false)}>first device list of Settings</a> one at a time, within
                  CUCM's limit, with a result per phone. Exempt devices and users are left alone.
                </p>
                {preview.isPending && <p className='muted small' role='status'>Looking up every device on the list…</p>}
                {preview.isError && <ErrorNotice error={preview.error} title='Could not preview the device list' compact />}
                {preview.data !== undefined && <RunPreview preview={preview.data} compact />}
              </div>
            )}
            <ConfirmPhraseField value={typed} onChange={setTyped} />
            {start.isError && <ErrorNotice error={start.error} title='Could not start the run' compact />}
            <div className='button-row'>
              <button type='button' className='button button-ghost' onClick={() => setOpen(false)}>Cancel</button>
              <button type='submit' className='button button-danger' disabled={!canSubmit}>
                {mode === 'cluster'
                  ? 'Log out all users'
                  : start.isPending ? 'Starting…' : `Log out ${plural(toLogOut, 'device')} one by one`}
              </button>
            </div>
          </form>
        )}
        {logoutAll.isPending && (
          <div className='progress-block' role='status' aria-live='polite'>
            <div className='progress-bar' aria-hidden='true'><span /></div>
            <p>Logging out all EM users… CUCM may take a minute to answer.</p>
          </div>
        )}
        {logoutAll.isSuccess && (
          <div className='result' role='status'>
            <div className='notice notice-success'>
              <p className='notice-title'>CUCM ended every Extension Mobility login on the cluster</p>
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
