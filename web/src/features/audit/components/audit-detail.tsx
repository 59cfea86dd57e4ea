import { useEffect, useRef } from 'react'
import { Badge } from '../../../components/badge.tsx'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { NOTHING } from '../../../components/nothing.tsx'
import { UserId } from '../../../components/user-id.tsx'
import { clusterLabel, useClusterScope } from '../../../lib/cluster.tsx'
import { displayDeviceName } from '../../../lib/device-names.ts'
import { ACTION_LABELS, formatDateTime, formatDuration, formatShortDateTime, OUTCOME_LABELS, outcomeTone, TRIGGER_LABELS } from '../../../lib/format.ts'
import { runAuditHref } from '../../../lib/run-audit-link.ts'
import { runHref } from '../../../lib/run-link.ts'
import { endedByRecordCsvHref, ENDED_SHOWN, useSessionsEndedBy } from '../api/get-ended-by-record.ts'
import { useAuditRecord } from '../api/get-audit-record.ts'

/** `user`: History's user filter, if any: of a logout of all users, the sessions of those users it ended. */
export function AuditDetail ({ id, user, onClose }: { id: number, user?: string | undefined, onClose: () => void }) {
  const record = useAuditRecord(id)
  const data = record.data
  const { listed: clusters } = useClusterScope()
  const panelRef = useRef<HTMLElement>(null)
  const closeRef = useRef(onClose)
  closeRef.current = onClose

  useEffect(() => { panelRef.current?.focus({ preventScroll: true }) }, [])

  // It opens where the person is looking. On a phone it sits below the table, its top near the
  // screen's bottom edge: unless it starts in the upper third of the window (beside the table, on a
  // wide screen), it comes up under the top bar (scroll-padding). Once loaded: while loading it is a
  // line at the page's end, which the page cannot scroll up to the top (only its header showed).
  const loaded = !record.isPending
  useEffect(() => {
    const panel = panelRef.current
    if (!loaded || panel === null) return
    const box = panel.getBoundingClientRect()
    if (box.top < 0 || box.top > window.innerHeight / 3) panel.scrollIntoView({ block: 'start' })
  }, [loaded])

  // Escape closes it from anywhere on the page, unless something on top (a dialog) takes Escape first.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || document.querySelector('dialog[open]') !== null) return
      closeRef.current()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [])

  return (
    <aside ref={panelRef} className='card detail-panel' aria-labelledby='audit-detail-title' tabIndex={-1}>
      <header className='card-header'>
        <h2 id='audit-detail-title'>Audit record #{id}</h2>
        <button type='button' className='icon-button' aria-label='Close the audit record' onClick={onClose}>×</button>
      </header>
      {record.isPending && <p className='muted'>Loading…</p>}
      {record.isError && <ErrorNotice error={record.error} title={`Could not load audit record #${id}`} />}
      {data !== undefined && (
        <>
          <p className='detail-headline'>
            <strong>{ACTION_LABELS[data.action]}</strong> <Badge tone={outcomeTone(data.outcome)}>{OUTCOME_LABELS[data.outcome]}</Badge>
          </p>
          {data.message !== null && <p>{data.message}</p>}
          <dl className='facts facts-stacked'>
            <div><dt>Started</dt><dd>{formatDateTime(data.startedAt)}</dd></div>
            <div><dt>Finished</dt><dd>{formatDateTime(data.finishedAt)} <span className='muted'>({formatDuration(data.durationMs)})</span></dd></div>
            <div><dt>By</dt><dd>{data.actor} <span className='muted'>via {TRIGGER_LABELS[data.trigger]}{data.clientIp !== null && ` from ${data.clientIp}`}</span></dd></div>
            {data.cluster !== null && <div><dt>Cluster</dt><dd><ClusterName name={clusterLabel(clusters, data.cluster)} id={data.cluster} /></dd></div>}
            <div><dt>Devices</dt><dd>{data.devices.length === 0 ? NOTHING : <span className='mono'>{data.devices.map(displayDeviceName).join(', ')}</span>}</dd></div>
            <div><dt>User</dt><dd>{data.userId === null ? NOTHING : <UserId id={data.userId} />}</dd></div>
            {data.emapiCode !== null && <div><dt>EMAPI code</dt><dd>{data.emapiCode}</dd></div>}
            {data.errorCode !== null && <div><dt>Error code</dt><dd className='mono'>{data.errorCode}</dd></div>}
            {data.httpStatus !== null && <div><dt>HTTP status</dt><dd>{data.httpStatus}</dd></div>}
            {data.runId !== null && (
              <div>
                <dt>Run</dt>
                <dd>
                  <span className='mono break-anywhere'>{data.runId}</span>{' '}
                  <a href={runAuditHref(data.runId)}>Every record of this run</a>
                  {data.bulkRun && <>{' · '}<a href={runHref(data.runId)}>Open the run</a></>}
                </dd>
              </div>
            )}
          </dl>
          {data.action === 'logout-all' && data.outcome !== 'pending' && <EndedByRecord auditId={id} user={user} />}
          <h3 className='detail-subtitle'>Request sent to CUCM</h3>
          {data.requestXml !== null && <p className='muted small'>The application user's password is masked.</p>}
          <pre className='code-block' tabIndex={0} aria-label='Request XML'>{data.requestXml ?? '(no request was sent)'}</pre>
          <h3 className='detail-subtitle'>Response from CUCM</h3>
          <pre className='code-block' tabIndex={0} aria-label='Response body'>{data.responseBody ?? '(no response)'}</pre>
        </>
      )}
    </aside>
  )
}

/** A cluster by the name the table shows, and by its id (what the CLI and the API take) when that differs. */
function ClusterName ({ name, id }: { name: string, id: string }) {
  if (name === id) return <span className='mono'>{id}</span>
  return <>{name} <span className='muted mono'>({id})</span></>
}

/**
 * Whom a logout of all users logged out: EMAPI's answer names no one, so its record does not; the
 * inventory credits it with the sessions it saw end after it (GET /api/sessions/history?auditId=).
 */
function EndedByRecord ({ auditId, user }: { auditId: number, user: string | undefined }) {
  const ended = useSessionsEndedBy(auditId, user)
  const sessions = ended.data?.sessions ?? []
  const of = user === undefined ? '' : ` of users starting "${user}"`
  return (
    <>
      <h3 className='detail-subtitle'>Sessions it ended{of}</h3>
      {ended.isPending && <p className='muted'>Loading…</p>}
      {ended.isError && <ErrorNotice error={ended.error} title='Could not read the sessions it ended' />}
      {ended.data !== undefined && sessions.length === 0 && (
        <p className='muted small'>The inventory saw none end{of}. It credits a logout of all users with the sessions it sees gone at its next refresh after it (without AXL there is no inventory; ended sessions are kept {ended.data.keptDays} days).</p>
      )}
      {sessions.length > 0 && (
        <>
          <div className='table-wrap'>
            <table className='table table-dense table-snug' aria-label='Sessions it ended'>
              <thead>
                <tr><th scope='col'>Device</th><th scope='col'>User</th><th scope='col'>Logged in (your time)</th></tr>
              </thead>
              <tbody>
                {sessions.map((s) => (
                  <tr key={s.id}>
                    <th scope='row' className='mono'>{displayDeviceName(s.deviceName)}</th>
                    <td><UserId id={s.userId} /></td>
                    <td className='cell-nowrap'>{s.loginTime === null ? NOTHING : formatShortDateTime(s.loginTime)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className='small'>
            {ended.data?.nextCursor != null && <span className='muted'>The first {ENDED_SHOWN}. </span>}
            <a href={endedByRecordCsvHref(auditId, user)} download>Every one as CSV</a>
          </p>
        </>
      )}
    </>
  )
}
