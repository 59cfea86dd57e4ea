import { useEffect } from 'react'
import type { LocatedDevice, Preview, SessionFilters } from '@em-console/shared/schemas'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { ModalDialog } from '../../../components/modal-dialog.tsx'
import { RunPreview } from '../../../components/run-preview.tsx'
import { previewTotals, startWords } from '../../../lib/preview-totals.ts'
import { formatCount, formatDateTime, plural } from '../../../lib/format.ts'
import { runHref } from '../../../lib/run-link.ts'
import { selectionWords } from '@em-console/shared/display'
import { MAX_RUN_ITEMS } from '@em-console/shared/rules'
import { usePreviewLogout, useStartLogout, type LogoutBody } from '../api/logout-sessions.ts'

/** Whom to log out: the rows picked, or every session the filters match; `cluster`: the one they are all on. */
export type LogoutSource =
  | { kind: 'selected', sessions: LocatedDevice[], cluster?: string }
  | { kind: 'matching', filters: SessionFilters, total: number, cluster?: string }

interface LogoutSessionsDialogProps {
  source: LogoutSource | undefined
  /** A cluster's name for people, from its id. */
  clusterName: (cluster: string) => string
  onClose: () => void
}

/**
 * What the preview asks: the rows picked, each device on its own cluster and only for the user it
 * showed (a device name on two clusters is two rows), or the selection by sessions itself (its
 * cluster among the filters), which the server reads from a fresh inventory.
 */
function bodyOf (source: LogoutSource): LogoutBody {
  if (source.kind === 'matching') return { action: 'logout', sessions: source.filters }
  return { action: 'logout', located: source.sessions }
}

/**
 * What Start runs: the sessions previewed, each device on its cluster and only for its user. A
 * selection by sessions is not made again: someone who passed the age or sat down at the site
 * since the preview was not shown to the person who confirmed, so is left alone.
 */
function startBodyOf (source: LogoutSource, preview: Preview): LogoutBody {
  if (source.kind === 'selected') return bodyOf(source)
  const located = preview.items.flatMap(({ device, cluster, user }) => cluster === null || device === '' ? [] : [{ device, cluster, ...(user === null ? {} : { user }) }])
  return { action: 'logout', located, previewedFrom: source.filters }
}

/**
 * What the sessions were chosen by, as the run's title will say it: the filters of "all matching",
 * or the rows' cluster, in the same words ("in cluster Branch") whether picked by hand or matched.
 */
function chosenWords (source: LogoutSource, clusterName: (cluster: string) => string): string {
  const filters = source.kind === 'matching' ? source.filters : {}
  const words = selectionWords({ ...filters, ...(source.cluster === undefined ? {} : { cluster: source.cluster }) }, clusterName)
  return words === '' ? '' : ` ${words}`
}

/**
 * The bulk-run preview of a logout of sessions: every device is looked up with EMAPI first (the
 * inventory may be minutes old), the preview says what will happen to each, and Start runs it.
 * "All matching" hands the filters to the server, which selects from a fresh inventory; Start
 * then runs the sessions that preview showed.
 */
export function LogoutSessionsDialog ({ source, clusterName, onClose }: LogoutSessionsDialogProps) {
  const preview = usePreviewLogout()
  const start = useStartLogout()
  const { mutate: previewBody, reset: resetPreview } = preview
  const { reset: resetStart } = start
  const count = source?.kind === 'matching' ? source.total : source?.sessions.length ?? 0
  const tooMany = count > MAX_RUN_ITEMS

  useEffect(() => {
    resetPreview()
    resetStart()
    if (source === undefined || count === 0 || count > MAX_RUN_ITEMS) return
    previewBody(bodyOf(source))
  }, [source, count, previewBody, resetPreview, resetStart])

  const totals = previewTotals(preview.data)
  // "All matching": once previewed, the sessions the fresh inventory selected (someone who passed
  // the age or sat down at the site since the screen read its list among them), which Start runs.
  const asked = source?.kind === 'matching' && preview.data !== undefined ? preview.data.items.filter((i) => i.device !== '').length : count
  const title = `Log out ${plural(asked, 'session')}${source === undefined ? '' : chosenWords(source, clusterName)}?`
  const asOf = Object.values(preview.data?.asOf ?? {}).filter((at): at is string => at !== null).sort()[0]

  return (
    <ModalDialog open={source !== undefined} title={title} tone='danger' size='wide' busy={start.isPending} onClose={onClose}>
      {tooMany && (
        <div className='notice notice-warn' role='alert'>
          <p className='notice-title'>{formatCount(count)} sessions are more than one bulk run takes</p>
          <p className='notice-message'>A run logs out at most {formatCount(MAX_RUN_ITEMS)} devices. Narrow the filters (a device pool, a longer time) and log out in parts.</p>
        </div>
      )}
      {!tooMany && preview.isPending && <p className='muted' role='status'>Looking up every device with CUCM…</p>}
      {preview.isError && <ErrorNotice error={preview.error} title='Could not preview the logout' compact />}
      {preview.data !== undefined && (
        <>
          <p className='small'>
            Each phone was looked up just now: the preview says what the run will do with it. Exempt devices and users are left alone.
            {asOf !== undefined && ` Sessions as of ${formatDateTime(asOf)}; Start logs out these sessions only (each phone is looked up again first, and only the user shown is logged out).`}
          </p>
          <RunPreview preview={preview.data} compact />
        </>
      )}
      {start.isError && <ErrorNotice error={start.error} title='Could not start the run' compact />}
      <div className='button-row'>
        <button type='button' className='button button-ghost' onClick={onClose} disabled={start.isPending}>Cancel</button>
        <button
          type='button'
          className='button button-danger'
          disabled={preview.data === undefined || totals.toSend + totals.toCheck === 0 || source === undefined || start.isPending}
          onClick={() => {
            if (source === undefined || preview.data === undefined) return
            start.mutate(startBodyOf(source, preview.data), {
              onSuccess: (started) => {
                onClose()
                window.location.hash = runHref(started.id)
              }
            })
          }}
        >
          {start.isPending ? 'Starting…' : `Start: ${startWords(totals)}`}
        </button>
      </div>
    </ModalDialog>
  )
}
