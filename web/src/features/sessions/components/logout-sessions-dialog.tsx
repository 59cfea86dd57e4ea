import { useEffect, useState } from 'react'
import type { SessionFilters } from '@em-console/shared/schemas'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { ModalDialog } from '../../../components/modal-dialog.tsx'
import { RunPreview } from '../../../components/run-preview.tsx'
import { plural } from '../../../lib/format.ts'
import { runHref } from '../../../lib/run-link.ts'
import { allMatchingDevices } from '../api/get-sessions.ts'
import { MAX_RUN_DEVICES, usePreviewLogout, useStartLogout } from '../api/logout-sessions.ts'

/** Whom to log out: the rows picked, or every session the filters match. */
export type LogoutSource =
  | { kind: 'selected', devices: string[] }
  | { kind: 'matching', filters: SessionFilters, total: number }

interface LogoutSessionsDialogProps {
  source: LogoutSource | undefined
  onClose: () => void
}

/**
 * The bulk-run preview of a logout of sessions: every device is looked up with EMAPI first (the
 * inventory may be minutes old), the preview says what will happen to each, and Start runs it.
 */
export function LogoutSessionsDialog ({ source, onClose }: LogoutSessionsDialogProps) {
  const preview = usePreviewLogout()
  const start = useStartLogout()
  const [devices, setDevices] = useState<string[]>()
  const [gathering, setGathering] = useState<unknown>()
  const { mutate: previewDevices, reset: resetPreview } = preview
  const { reset: resetStart } = start

  useEffect(() => {
    resetPreview()
    resetStart()
    setDevices(undefined)
    setGathering(undefined)
    if (source === undefined) return
    let current = true
    const chosen = source.kind === 'selected' ? Promise.resolve(source.devices) : allMatchingDevices(source.filters)
    chosen.then((list) => {
      if (!current) return
      setDevices(list)
      if (list.length > 0 && list.length <= MAX_RUN_DEVICES) previewDevices(list)
    }).catch((error: unknown) => { if (current) setGathering(error) })
    return () => { current = false }
  }, [source, previewDevices, resetPreview, resetStart])

  const count = devices?.length ?? (source?.kind === 'matching' ? source.total : source?.devices.length ?? 0)
  const tooMany = count > MAX_RUN_DEVICES
  const toLogOut = preview.data === undefined ? 0 : (preview.data.counts['will-logout'] ?? 0) + (preview.data.counts.empty ?? 0)
  const title = `Log out ${plural(count, 'session')}?`

  return (
    <ModalDialog open={source !== undefined} title={title} tone='danger' size='wide' busy={start.isPending} onClose={onClose}>
      {tooMany && (
        <div className='notice notice-warn' role='alert'>
          <p className='notice-title'>{count.toLocaleString()} sessions are more than one bulk run takes</p>
          <p className='notice-message'>A run logs out at most {MAX_RUN_DEVICES.toLocaleString()} devices. Narrow the filters (a device pool, a longer time) and log out in parts.</p>
        </div>
      )}
      {!tooMany && devices === undefined && gathering === undefined && <p className='muted' role='status'>Reading the matching sessions…</p>}
      {gathering !== undefined && <ErrorNotice error={gathering} title='Could not read the matching sessions' compact />}
      {!tooMany && preview.isPending && <p className='muted' role='status'>Looking up every device with CUCM…</p>}
      {preview.isError && <ErrorNotice error={preview.error} title='Could not preview the logout' compact />}
      {preview.data !== undefined && (
        <>
          <p className='small'>Each phone was looked up just now: the preview says what the run will do with it. Exempt devices and users are left alone.</p>
          <RunPreview preview={preview.data} compact />
        </>
      )}
      {start.isError && <ErrorNotice error={start.error} title='Could not start the run' compact />}
      <div className='button-row'>
        <button type='button' className='button button-ghost' onClick={onClose} disabled={start.isPending}>Cancel</button>
        <button
          type='button'
          className='button button-danger'
          disabled={preview.data === undefined || toLogOut === 0 || devices === undefined || start.isPending}
          onClick={() => {
            if (devices === undefined) return
            start.mutate(devices, {
              onSuccess: (started) => {
                onClose()
                window.location.hash = runHref(started.id)
              }
            })
          }}
        >
          {start.isPending ? 'Starting…' : `Start: log out ${plural(toLogOut, 'device')}`}
        </button>
      </div>
    </ModalDialog>
  )
}
