import { useEffect, useId, useRef, useState } from 'react'
import { MAX_SCHEDULE_AGE_HOURS } from '@em-console/shared/rules'
import type { Schedule, ScheduleAction } from '@em-console/shared/schemas'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { TextField } from '../../../components/text-field.tsx'
import { ApiError } from '../../../lib/api-client.ts'
import { CRON, fieldProblem, hintOf, SCHEDULE_NAME, TIMEZONE, timeZoneProblem } from '@em-console/shared/field-rules'
import { useDebounced } from '../../../lib/use-debounced.ts'
import { useDeviceListNames } from '../../../lib/get-settings.ts'
import { useSchedulePreview } from '../api/get-schedule-preview.ts'
import { isChangedSinceRead, useCreateSchedule, useUpdateSchedule } from '../api/save-schedule.ts'
import { useReadScheduleAgain } from '../api/get-schedules.ts'
import { formatDateTime } from '../../../lib/format.ts'
import { describeCron, fireTimeText, SCHEDULE_ACTION_LABELS, SCHEDULE_ACTIONS, scheduleChanges } from './schedule-format.ts'
import { clusterLabel, useClusterScope } from '../../../lib/cluster.tsx'

/** Every IANA zone the browser knows, for the time zone field's suggestions. */
function timeZones (): string[] {
  try {
    const zones = Intl.supportedValuesOf('timeZone')
    return zones.includes('UTC') ? zones : ['UTC', ...zones]
  } catch {
    return ['UTC']
  }
}

/** What is wrong with a typed zone, if anything (empty: the default zone). */
function zoneProblemOf (zone: string): string | undefined {
  return fieldProblem(TIMEZONE, zone) ?? (zone === '' ? undefined : timeZoneProblem(zone))
}

const ACTION_HINTS: Record<ScheduleAction, string> = {
  'logout-all': 'One EMAPI logoutAll on each cluster it acts on: every EM user there.',
  'logout-saved-list': 'A bulk run over a device list of Settings, one phone at a time, exemptions applied.',
  'logout-older-than': 'A bulk run over every session logged in for longer than the hours below, read fresh from the AXL inventory; exemptions applied.',
  'logout-device-pools': 'A bulk run over every session on the device pools below, read fresh from the AXL inventory; exemptions applied. Set the time zone of the site.'
}

/** Pool names as typed: separated by commas, semicolons or new lines (a name may hold spaces: "DP Oslo HQ"). */
function parsePools (text: string): string[] {
  return [...new Set(text.split(/[,;\r\n]+/).map((pool) => pool.trim()).filter((pool) => pool !== ''))]
}

interface ScheduleFormProps {
  /** The schedule to edit; a new one when absent. */
  schedule?: Schedule
  onSaved?: (schedule: Schedule) => void
  onCancel?: () => void
}

/** The fields that say the server's refusal of them under themselves; any other refusal is said below the form. */
/** Whether two device list names are one list's, as the server compares them (case aside). */
const sameListName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()

const FIELDS_WITH_ERRORS = ['name', 'cron', 'timezone', 'list', 'hours', 'pools', 'clusters']

/** The version loaded after a refusal (CHANGED_SINCE_READ): who saved it, when, and what they changed. */
interface Loaded {
  by: string | null
  at: string
  changes: string[]
}

/**
 * Name, cron, zone, action and enabled, with the next five fire times previewed as the admin types.
 * An edit refused because another admin saved the schedule since can load that version in place:
 * the fields start again from it (a new key), and the form says who changed what.
 */
export function ScheduleForm ({ schedule, ...props }: ScheduleFormProps) {
  const [current, setCurrent] = useState(schedule)
  const [loaded, setLoaded] = useState<Loaded>()
  const load = (saved: Schedule) => {
    if (current !== undefined) setLoaded({ by: saved.updatedBy, at: saved.updatedAt, changes: scheduleChanges(current, saved) })
    setCurrent(saved)
  }
  return <ScheduleFields key={current?.updatedAt} schedule={current} loaded={loaded} onLoad={load} {...props} />
}

/** Said where the refusal was, and given the focus: the button that loaded it is gone. */
function LoadedNotice ({ loaded }: { loaded: Loaded }) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => { ref.current?.focus() }, [])
  return (
    <div ref={ref} tabIndex={-1} className='notice notice-warn' role='status'>
      <p className='notice-message'>
        Loaded the version {loaded.by === null ? '' : `${loaded.by} `}saved at {formatDateTime(loaded.at)}
        {loaded.changes.length === 0 ? '.' : `: ${loaded.changes.join('; ')}.`} Your edits were dropped: make them again on this version, then save.
      </p>
    </div>
  )
}

function ScheduleFields ({ schedule, onSaved, onCancel, loaded, onLoad }: ScheduleFormProps & { loaded?: Loaded, onLoad: (saved: Schedule) => void }) {
  const [name, setName] = useState(schedule?.name ?? '')
  const [cron, setCron] = useState(schedule?.cron ?? '0 2 * * *')
  const [timezone, setTimezone] = useState(schedule?.timezone ?? '')
  const [action, setAction] = useState<ScheduleAction>(schedule?.action ?? 'logout-all')
  const [enabled, setEnabled] = useState(schedule?.enabled ?? true)
  // '' stands for "the first list" (null in the API).
  const [list, setList] = useState(schedule?.list ?? '')
  const listNames = useDeviceListNames(action === 'logout-saved-list')
  const [hours, setHours] = useState(String(schedule?.hours ?? 12))
  const [pools, setPools] = useState((schedule?.pools ?? []).join(', '))
  // "Enter at least one" waits until the person has been in the field: not red before a word is typed.
  const [poolsVisited, setPoolsVisited] = useState(false)
  // The clusters it acts on; none ticked stands for every enabled cluster (null in the API).
  const scope = useClusterScope()
  const [clusters, setClusters] = useState<string[]>(schedule?.clusters ?? [])
  // A cluster it names that cannot be used now (disabled since, its password not opened by this
  // key): a box of its own, ticked, so that it can be unticked; the server refuses it while named.
  const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()
  const unusable = scope.known ? (schedule?.clusters ?? []).filter((c) => !scope.clusters.some((usable) => same(usable.id, c))) : []
  const choices = [...scope.clusters, ...unusable.map((c) => ({ id: c, name: `${clusterLabel(scope.listed, c)} (not usable now)` }))]
  const choosing = scope.several || unusable.length > 0
  // The version this edit starts from, kept as the list is read again: another admin's save since
  // then refuses this one (CHANGED_SINCE_READ) rather than be undone by it unseen.
  const [basedOn] = useState(schedule?.updatedAt)
  const create = useCreateSchedule()
  const update = useUpdateSchedule()
  const save = schedule === undefined ? create : update
  const conflict = isChangedSinceRead(save.error)
  const readAgain = useReadScheduleAgain()
  const id = useId()
  const [zones] = useState(timeZones)

  // Only what the API could accept is previewed; a too-long entry is said under its field instead.
  const previewCron = useDebounced(fieldProblem(CRON, cron.trim()) === undefined ? cron.trim() : '', 300)
  // A zone is checked as typed, as the server checks it, whether or not an expression is there yet.
  const zoneProblem = zoneProblemOf(timezone.trim())
  const previewZone = useDebounced(zoneProblem === undefined ? timezone.trim() : '', 300)
  // Without a zone the server takes that of the clusters ticked when they share one: the preview says which.
  const preview = useSchedulePreview(previewCron, previewZone, scope.several ? clusters.join(',') : '')
  const previewField = preview.error instanceof ApiError ? preview.error.field : undefined
  const saveField = save.error instanceof ApiError ? save.error.field : undefined

  const fieldError = (field: string): string | undefined => {
    if (saveField === field && save.error instanceof ApiError) return save.error.fieldMessage
    // The preview speaks for what is typed now, not for a value the admin has since changed.
    if (previewField === field && previewCron === cron.trim() && previewZone === timezone.trim() && preview.error instanceof ApiError) return preview.error.fieldMessage
    return undefined
  }
  // Checked as typed, in the words of field-rules.ts; the server's verdict (e.g. a taken name) after.
  const nameProblem = fieldProblem(SCHEDULE_NAME, name.trim())
  const cronProblem = fieldProblem(CRON, cron.trim())
  const nameError = nameProblem ?? fieldError('name')
  const cronError = cronProblem ?? fieldError('cron')
  const zoneError = zoneProblem ?? fieldError('timezone')
  const inWords = describeCron(cron)
  const hoursValue = Number(hours)
  const hoursProblem = action === 'logout-older-than' && !(Number.isInteger(hoursValue) && hoursValue >= 1 && hoursValue <= MAX_SCHEDULE_AGE_HOURS) ? `Enter whole hours from 1 to ${MAX_SCHEDULE_AGE_HOURS}.` : undefined
  const poolList = parsePools(pools)
  const poolsProblem = action === 'logout-device-pools' && poolList.length === 0 ? 'Enter at least one device pool.' : undefined
  const hoursError = hoursProblem ?? fieldError('hours')
  const poolsError = (poolsVisited ? poolsProblem : undefined) ?? fieldError('pools')
  const canSubmit = name.trim() !== '' && cron.trim() !== '' && nameProblem === undefined && cronProblem === undefined && zoneProblem === undefined && hoursProblem === undefined && poolsProblem === undefined && !save.isPending

  function submit () {
    const parameters = action === 'logout-older-than'
      ? { hours: hoursValue }
      : action === 'logout-device-pools'
        ? { pools: poolList }
        : action === 'logout-saved-list' ? { list: list === '' ? null : list } : {}
    // With one cluster there is nothing to choose: the field is left as it is.
    const where = choosing ? { clusters: clusters.length === 0 ? null : clusters } : {}
    const body = { name: name.trim(), cron: cron.trim(), action, ...parameters, ...where, enabled, ...(timezone.trim() === '' ? {} : { timezone: timezone.trim() }) }
    const options = { onSuccess: (saved: Schedule) => onSaved?.(saved) }
    if (schedule === undefined) create.mutate(body, options)
    else update.mutate({ id: schedule.id, body: { ...body, updatedAt: basedOn } }, options)
  }

  const shownZone = preview.data?.timezone ?? (timezone.trim() === '' ? undefined : timezone.trim())
  return (
    <form
      className='schedule-form'
      onSubmit={(event) => {
        event.preventDefault()
        if (canSubmit) submit()
      }}
    >
      {schedule?.managedByConfig === true && (
        <div className='notice notice-warn notice-compact'>
          <p className='notice-message'>
            <strong>LOGOUT_ALL_SCHEDULE</strong> manages this schedule: the server's configuration sets it back at the next start.
          </p>
        </div>
      )}
      <div className='schedule-form-grid'>
        <div className='stack stack-tight'>
          <TextField
            id={`${id}-name`}
            label='Name'
            value={name}
            onChange={(event) => { setName(event.target.value); if (saveField === 'name') save.reset() }}
            autoComplete='off'
            spellCheck={false}
            hint={`${hintOf(SCHEDULE_NAME)}.`}
            error={nameError}
            data-autofocus
            required
          />
          <TextField
            id={`${id}-cron`}
            label='Cron expression'
            inputClassName='mono'
            value={cron}
            onChange={(event) => { setCron(event.target.value); if (saveField === 'cron') save.reset() }}
            autoComplete='off'
            spellCheck={false}
            hint={inWords ?? 'minute hour day month weekday, e.g. 0 2 * * 1-5'}
            error={cronError}
            required
          />
          <TextField
            id={`${id}-timezone`}
            label='Time zone'
            list={`${id}-zones`}
            value={timezone}
            onChange={(event) => { setTimezone(event.target.value); if (saveField === 'timezone') save.reset() }}
            placeholder="The clusters' or the server's"
            autoComplete='off'
            spellCheck={false}
            hint={`IANA name, e.g. Europe/Paris; empty: that of the clusters it acts on when they share one, else the server's default (SCHEDULE_TIMEZONE)${timezone.trim() === '' && preview.data !== undefined ? `: here ${preview.data.timezone}` : ''}.`}
            error={zoneError}
          />
          <datalist id={`${id}-zones`}>
            {zones.map((zone) => <option key={zone} value={zone} />)}
          </datalist>
          <div className='field'>
            <label className='field-label' htmlFor={`${id}-action`}>Action</label>
            <select id={`${id}-action`} className='input' value={action} onChange={(event) => setAction(event.target.value as ScheduleAction)} aria-describedby={`${id}-action-hint`}>
              {SCHEDULE_ACTIONS.map((option) => <option key={option} value={option}>{SCHEDULE_ACTION_LABELS[option]}</option>)}
            </select>
            <span id={`${id}-action-hint`} className='field-hint'>{ACTION_HINTS[action]}</span>
          </div>
          {action === 'logout-saved-list' && (
            <div className='field'>
              <label className='field-label' htmlFor={`${id}-list`}>Device list</label>
              <select
                id={`${id}-list`}
                className='input'
                value={list}
                onChange={(event) => { setList(event.target.value); if (saveField === 'list') save.reset() }}
                aria-invalid={saveField === 'list' ? true : undefined}
                aria-describedby={`${id}-list-hint`}
              >
                <option value=''>The first list{listNames.data?.[0] === undefined ? '' : ` (now "${listNames.data[0]}")`}</option>
                {/* Names compare without case, as the server finds a schedule's list: "Ward B" runs the list now named "WARD B". */}
                {listNames.data?.map((option) => <option key={option} value={sameListName(option, list) ? list : option}>{option}</option>)}
                {/* A list renamed or removed since: kept visible, so saving does not change it unasked. */}
                {list !== '' && listNames.data !== undefined && !listNames.data.some((option) => sameListName(option, list)) && <option value={list}>{list} (not in Settings any more)</option>}
              </select>
              {fieldError('list') !== undefined
                ? <span id={`${id}-list-hint`} className='field-error' role='alert'>{fieldError('list')}</span>
                : <span id={`${id}-list-hint`} className='field-hint'>{listNames.data?.length === 0 ? 'Settings has no device list yet: add one there first.' : 'The lists are edited in Settings.'}</span>}
              {listNames.isError && <ErrorNotice error={listNames.error} title='Could not read the device lists' compact />}
            </div>
          )}
          {action === 'logout-older-than' && (
            <TextField
              id={`${id}-hours`}
              label='Logged in for more than (hours)'
              inputClassName='input-narrow'
              type='number'
              min={1}
              max={MAX_SCHEDULE_AGE_HOURS}
              value={hours}
              onChange={(event) => { setHours(event.target.value); if (saveField === 'hours') save.reset() }}
              hint='Sessions whose login is older than this when the schedule runs.'
              error={hoursError}
            />
          )}
          {action === 'logout-device-pools' && (
            <div className='field'>
              <label className='field-label' htmlFor={`${id}-pools`}>Device pools</label>
              <input
                id={`${id}-pools`}
                className='input mono'
                value={pools}
                onChange={(event) => { setPools(event.target.value); if (saveField === 'pools') save.reset() }}
                onBlur={() => setPoolsVisited(true)}
                autoComplete='off'
                spellCheck={false}
                aria-invalid={poolsError !== undefined ? true : undefined}
                aria-describedby={`${id}-pools-hint`}
              />
              {poolsError !== undefined
                ? <span id={`${id}-pools-hint`} className='field-error' role='alert'>{poolsError}</span>
                : <span id={`${id}-pools-hint`} className='field-hint'>{poolsProblem === undefined ? 'Names' : 'Enter at least one device pool: names'} as CUCM spells them, separated by commas, e.g. DP_OSLO, DP_BERGEN.</span>}
            </div>
          )}
          {choosing && (
            <fieldset className='fieldset' aria-describedby={`${id}-clusters-hint`}>
              <legend className='field-label'>Clusters</legend>
              <div className='choice-stack'>
                {choices.map((cluster) => (
                  <label key={cluster.id} className='choice'>
                    <input
                      type='checkbox'
                      checked={clusters.some((c) => same(c, cluster.id))}
                      onChange={(event) => {
                        setClusters((chosen) => event.target.checked ? [...chosen, cluster.id] : chosen.filter((c) => !same(c, cluster.id)))
                        if (saveField === 'clusters') save.reset()
                      }}
                    />
                    {cluster.name}
                  </label>
                ))}
              </div>
              {fieldError('clusters') !== undefined
                ? <span id={`${id}-clusters-hint`} className='field-error' role='alert'>{fieldError('clusters')}</span>
                : <span id={`${id}-clusters-hint`} className='field-hint'>None ticked: every enabled cluster, whichever there are when it runs.</span>}
            </fieldset>
          )}
          <label className='choice'>
            <input type='checkbox' checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
            Enabled
          </label>
        </div>

        <section className='fire-times' aria-labelledby={`${id}-preview-title`} aria-busy={preview.isFetching}>
          <h3 id={`${id}-preview-title`} className='fire-times-title'>Next five runs</h3>
          {shownZone !== undefined && zoneError === undefined && <p className='muted small'>Times in {shownZone}</p>}
          {cron.trim() === '' && <p className='muted small'>Enter a cron expression to see when it runs.</p>}
          {preview.isError && previewField === undefined && <ErrorNotice error={preview.error} title='Could not preview the expression' compact />}
          {cronError !== undefined || zoneError !== undefined
            ? <p className='muted small'>Fix the {cronError !== undefined ? 'expression' : 'time zone'} to see when it runs.</p>
            : preview.data !== undefined && cron.trim() !== '' && (
              <ol className='fire-times-list' aria-label='Next five runs'>
                {preview.data.nextRuns.map((time) => {
                  const moved = preview.data.clockChanges.find((change) => change.run === time)
                  return (
                    <li key={time}>
                      <time dateTime={time}>{fireTimeText(time, preview.data.timezone)}</time>
                      {moved !== undefined && <span className='fire-time-note'>{moved.note}</span>}
                    </li>
                  )
                })}
              </ol>
            )}
          {preview.data?.nextRuns.length === 0 && <p className='muted small'>This expression never fires again.</p>}
        </section>
      </div>

      {loaded !== undefined && !save.isError && <LoadedNotice loaded={loaded} />}
      {save.isError && !FIELDS_WITH_ERRORS.includes(saveField ?? '') && (
        <ErrorNotice error={save.error} title='Could not save the schedule' actionWords={conflict ? () => 'Load the current version to see that change, then make yours again on it.' : undefined} />
      )}
      {conflict && schedule !== undefined && (
        <div className='button-row button-row-start'>
          <button
            type='button'
            className='button'
            disabled={readAgain.isPending}
            onClick={() => readAgain.mutate(schedule.id, { onSuccess: (saved) => { if (saved !== undefined) onLoad(saved) } })}
          >
            Load the current version (drops your edits)
          </button>
        </div>
      )}
      {readAgain.isSuccess && readAgain.data === undefined && <p className='field-error' role='alert'>It was deleted since you opened it: close the form.</p>}
      {readAgain.isError && <ErrorNotice error={readAgain.error} title='Could not read the schedule again' compact />}
      <div className={onCancel === undefined ? 'button-row button-row-start' : 'button-row'}>
        {onCancel !== undefined && <button type='button' className='button button-ghost' onClick={onCancel}>Cancel</button>}
        <button type='submit' className='button button-primary' disabled={!canSubmit}>
          {save.isPending ? 'Saving…' : schedule === undefined ? 'Create schedule' : 'Save changes'}
        </button>
      </div>
    </form>
  )
}
