import { useId, useState } from 'react'
import type { Schedule } from '@em-console/shared/schemas'
import { Badge } from '../../../components/badge.tsx'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { InlineConfirm } from '../../../components/inline-confirm.tsx'
import { ConfirmPhraseField, isConfirmPhrase, LogoutAllConsequences } from '../../../components/logout-all-guard.tsx'
import { ModalDialog } from '../../../components/modal-dialog.tsx'
import { ApiError } from '../../../lib/api-client.ts'
import { auditHref } from '../../../lib/audit-link.ts'
import { useHasRole } from '../../../lib/authorization.tsx'
import { formatAgo, formatDateTime, formatRelative } from '../../../lib/format.ts'
import { runHref } from '../../../lib/run-link.ts'
import { useSchedules } from '../api/get-schedules.ts'
import { useRunScheduleNow } from '../api/run-schedule-now.ts'
import { isChangedSinceRead, useDeleteSchedule, useUpdateSchedule } from '../api/save-schedule.ts'
import { describeCron, describeScheduleAction, fireTimeText, runNowConsequence, SCHEDULE_OUTCOME_LABELS, scheduleOutcomeTone } from './schedule-format.ts'
import { ScheduleForm } from './schedule-form.tsx'
import { clusterLabel, useClusterScope } from '../../../lib/cluster.tsx'

export function SchedulesTable () {
  const schedules = useSchedules()
  const list = schedules.data?.schedules ?? []
  const id = useId()

  return (
    <section className='card' aria-labelledby={`${id}-title`}>
      <header className='card-header'>
        <h2 id={`${id}-title`}>Schedules</h2>
        {schedules.isFetching && !schedules.isPending && <span className='muted small'>Refreshing…</span>}
      </header>
      {schedules.isPending && <p className='muted'>Loading schedules…</p>}
      {schedules.isError && <ErrorNotice error={schedules.error} title='Could not read the schedules' />}
      {schedules.isSuccess && list.length === 0 && (
        <p className='empty'>No schedules yet. Admins create them here, or set LOGOUT_ALL_SCHEDULE in the server's configuration.</p>
      )}
      {list.length > 0 && (
        <div className='table-wrap'>
          <table className='table'>
            <thead>
              <tr>
                <th scope='col'>Name</th>
                <th scope='col'>When</th>
                <th scope='col'>Action</th>
                <th scope='col'>Next run</th>
                <th scope='col'>Last run</th>
                <th scope='col'>Enabled</th>
                <th scope='col'><span className='visually-hidden'>Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {list.map((schedule) => <ScheduleRow key={schedule.id} schedule={schedule} />)}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

/** A change refused as made from an old copy: the list was read again (useInvalidateSchedules), so the row shows it now. */
function rereadWords (error: unknown): ((action: string) => string) | undefined {
  return isChangedSinceRead(error) ? () => 'The list now shows the schedule as it was saved: look at it, then do it again if you still want to.' : undefined
}

function ScheduleRow ({ schedule }: { schedule: Schedule }) {
  const isAdmin = useHasRole('admin')
  const canOperate = useHasRole('operator')
  const update = useUpdateSchedule()
  const remove = useDeleteSchedule()
  const runNow = useRunScheduleNow()
  const [running, setRunning] = useState(false)
  const [typed, setTyped] = useState('')
  const confirmed = schedule.action !== 'logout-all' || isConfirmPhrase(typed)
  const [editing, setEditing] = useState(false)
  const [lastChange, setLastChange] = useState('')
  const name = schedule.name
  const inWords = describeCron(schedule.cron)
  const scope = useClusterScope()

  function toggle (enabled: boolean) {
    runNow.reset()
    remove.reset()
    setLastChange(enabled ? `${name} is enabled.` : `${name} is disabled: it does not run until enabled again.`)
    update.mutate({ id: schedule.id, body: { enabled, updatedAt: schedule.updatedAt } })
  }

  const message = runNow.isSuccess || runNow.isError || update.isSuccess || update.isError || remove.isError
  return (
    <>
      <tr className={message ? 'row-with-message' : undefined}>
        <th scope='row'>
          <span className='cell-title'>{name}</span>
          {schedule.managedByConfig && <span className='cell-sub'><Badge tone='info'>Managed by LOGOUT_ALL_SCHEDULE</Badge></span>}
        </th>
        <td>
          <span className='cell-title'>{inWords ?? <span className='mono'>{schedule.cron}</span>}</span>
          <span className='cell-sub muted small'>
            {inWords !== undefined && <span className='mono'>{schedule.cron}</span>} {schedule.timezone}
          </span>
        </td>
        <td>
          {describeScheduleAction(schedule)}
          {scope.several && <span className='cell-sub muted small'>{schedule.clusters === null ? 'Every cluster' : `On ${schedule.clusters.map((id) => clusterLabel(scope.listed, id)).join(', ')}`}</span>}
          {schedule.problem !== null && <span className='cell-sub small'><Badge tone={schedule.enabled ? 'warn' : 'neutral'}>{schedule.enabled ? 'Needs attention' : 'Cannot run'}</Badge> {schedule.problem}</span>}
        </td>
        <td className='cell-nowrap'>
          {schedule.nextRunAt === null
            ? <span className='muted'>{schedule.enabled ? 'Never' : 'Disabled'}</span>
            : (
              <>
                <span className='cell-title'>
                  <time dateTime={schedule.nextRunAt}>{fireTimeText(schedule.nextRunAt, schedule.timezone)}</time>
                </span>
                <span className='cell-sub muted small'>{schedule.timezone} · {formatRelative(schedule.nextRunAt)}</span>
              </>
              )}
        </td>
        <td>
          {schedule.lastRunAt === null || schedule.lastOutcome === null
            ? <span className='muted'>Not run yet</span>
            : (
              <>
                <span className='cell-title'>
                  <Badge tone={scheduleOutcomeTone(schedule.lastOutcome)}>{SCHEDULE_OUTCOME_LABELS[schedule.lastOutcome]}</Badge>{' '}
                  <time className='small' dateTime={schedule.lastRunAt} title={`${formatDateTime(schedule.lastRunAt)}${schedule.lastMessage === null ? '' : `: ${schedule.lastMessage}`}`}>{formatAgo(schedule.lastRunAt)}</time>
                </span>
                {/* Why a last run did not succeed, in its row (a hover's title reaches no keyboard or touch): three lines at most, its record says it whole. */}
                {schedule.lastOutcome !== 'success' && schedule.lastMessage !== null && <span className='cell-sub cell-clamp small'>{schedule.lastMessage}</span>}
                {schedule.lastAuditId !== null && <a className='cell-sub small' href={auditHref(schedule.lastAuditId)}>Audit record #{schedule.lastAuditId}</a>}
              </>
              )}
        </td>
        <td>
          {isAdmin
            ? (
              <label className='switch'>
                <input
                  type='checkbox'
                  role='switch'
                  // Shows the new position at once; the list re-read after the change confirms it.
                  checked={update.isPending ? update.variables.body.enabled ?? schedule.enabled : schedule.enabled}
                  disabled={update.isPending}
                  onChange={(event) => toggle(event.target.checked)}
                  aria-label={`Enabled: ${name}`}
                />
                <span className='switch-track' aria-hidden='true' />
              </label>
              )
            : schedule.enabled ? <Badge tone='ok'>Enabled</Badge> : <Badge>Disabled</Badge>}
        </td>
        <td className='cell-actions'>
          <div className='inline-confirm row-actions'>
            {canOperate && (
              <button
                type='button'
                className='button button-small'
                aria-label={`Run now: ${name}`}
                disabled={runNow.isPending}
                onClick={() => { runNow.reset(); update.reset(); setTyped(''); setRunning(true) }}
              >
                {runNow.isPending ? 'Running…' : 'Run now'}
              </button>
            )}
            {isAdmin && <button type='button' className='button button-ghost button-small' aria-label={`Edit ${name}`} onClick={() => setEditing(true)}>Edit…</button>}
            {isAdmin && (
              <InlineConfirm
                label='Delete'
                name={`Delete ${name}`}
                className='button button-ghost button-small'
                question={`Delete ${name}?${schedule.managedByConfig ? ' The configuration creates it again at the next start.' : ''}`}
                groupName={`Confirm deleting ${name}`}
                confirmLabel='Delete'
                onOpen={() => { remove.reset(); update.reset(); runNow.reset() }}
                onConfirm={() => remove.mutate(schedule)}
              />
            )}
          </div>
          {canOperate && (
            <ModalDialog open={running} title={`Run ${name} now?`} tone='danger' onClose={() => setRunning(false)}>
              <form
                onSubmit={(event) => {
                  event.preventDefault()
                  if (!confirmed) return
                  setRunning(false)
                  runNow.mutate({ id: schedule.id, confirm: schedule.action === 'logout-all' ? typed : undefined, updatedAt: schedule.updatedAt })
                }}
              >
                {schedule.action === 'logout-all'
                  ? <LogoutAllConsequences where={!scope.several ? undefined : schedule.clusters === null ? `on every cluster, ${scope.clusters.map((cluster) => cluster.name).join(', ')},` : `on ${schedule.clusters.map((id) => clusterLabel(scope.listed, id)).join(', ')}`} />
                  : <p className='small'>{runNowConsequence(schedule, (id) => clusterLabel(scope.listed, id))}</p>}
                {/* The typed words guard a cluster-wide logout, as everywhere; a selection is one button. */}
                {schedule.action === 'logout-all' && <ConfirmPhraseField value={typed} onChange={setTyped} />}
                <div className='button-row'>
                  <button type='button' className='button button-ghost' onClick={() => setRunning(false)} data-autofocus={schedule.action === 'logout-all' ? undefined : true}>Cancel</button>
                  <button type='submit' className='button button-danger' disabled={!confirmed}>Run now</button>
                </div>
              </form>
            </ModalDialog>
          )}
          {isAdmin && (
            <ModalDialog open={editing} title={`Edit schedule ${name}`} size='wide' onClose={() => setEditing(false)}>
              {editing && <ScheduleForm schedule={schedule} onSaved={() => setEditing(false)} onCancel={() => setEditing(false)} />}
            </ModalDialog>
          )}
        </td>
      </tr>
      {message && (
        <tr className='row-message' aria-label={`Result for ${name}`}>
          <td colSpan={7}>
            {runNow.isSuccess && (
              <p className='inline-result' role='status'>
                <Badge tone='ok'>Done</Badge> {runNow.data.result.message}{' '}
                {runNow.data.result.runId !== undefined && <><a href={runHref(runNow.data.result.runId)}>View the run</a>{' · '}</>}
                <a href={auditHref(runNow.data.result.auditId)}>View audit record #{runNow.data.result.auditId}</a>
              </p>
            )}
            {/* Refused (4xx: already running, disabled...) it did not run; otherwise it ran, and CUCM or its run failed. */}
            {runNow.isError && <ErrorNotice error={runNow.error} title={runNow.error instanceof ApiError && runNow.error.status >= 500 ? `${name} failed` : `${name} did not run`} compact />}
            {update.isSuccess && <p className='inline-result' role='status'><Badge tone='ok'>Saved</Badge> {lastChange}</p>}
            {update.isError && <ErrorNotice error={update.error} title={`Could not change ${name}`} actionWords={rereadWords(update.error)} compact />}
            {remove.isError && <ErrorNotice error={remove.error} title={`Could not delete ${name}`} actionWords={rereadWords(remove.error)} compact />}
          </td>
        </tr>
      )}
    </>
  )
}
