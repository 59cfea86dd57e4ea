import { useEffect, useId, useMemo, useRef, useState } from 'react'
import type { RunAction } from '@em-console/shared/schemas'
import { cellOf, columnNote, DEFAULT_VERIFY_AFTER_SECONDS, MAX_RUN_ITEMS, MAX_VERIFY_AFTER_SECONDS, readCsvTable, type CsvColumn, type CsvTable } from '@em-console/shared/rules'
import { fieldProblem, FILE_NAME } from '@em-console/shared/field-rules'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { RunPreview } from '../../../components/run-preview.tsx'
import { previewTotals } from '../../../lib/preview-totals.ts'
import { InvalidNamesNotice, ReadNotes } from '../../../components/invalid-names.tsx'
import { hasEntries, parseDeviceNames, type InvalidName } from '../../../lib/device-names.ts'
import { csvSizeProblem, fileReadProblem, readCsvFile } from '../../../lib/file-read.ts'
import { parseUserIds, uniqueUserIds } from '../../../lib/user-ids.ts'
import { formatCount, plural } from '../../../lib/format.ts'
import { usePreviewRun, type RunRequest } from '../api/preview-run.ts'
import { useStartRun } from '../api/start-run.ts'
import { useClusterScope } from '../../../lib/cluster.tsx'
import { useSignedInUser } from '../../../lib/authorization.tsx'
import { useListsRead } from '../../../lib/use-debounced.ts'

interface CsvFile {
  name: string
  text: string
}

/** What a run is made of: devices to log out, users to log out wherever they are, or logins. */
type Mode = 'devices' | 'users' | 'login'

const MODES: ReadonlyArray<{ mode: Mode, label: string }> = [
  { mode: 'devices', label: 'Log out devices' },
  { mode: 'users', label: 'Log out users' },
  { mode: 'login', label: 'Log users in' }
]
const PASTE_LABELS: Record<Mode, string> = { devices: 'Paste device names', users: 'Paste user IDs', login: 'Paste logins' }
const PLACEHOLDERS: Record<Mode, string> = { devices: 'SEP001122334455\nSEP00AABBCCDDEE', users: 'jdoe\njane.doe@example.com', login: 'SEP00AABBCCDDEE,asmith' }
const PASTE_HINTS: Record<Mode, string> = {
  devices: 'Device names separated by new lines, commas or spaces.',
  users: 'User IDs separated by new lines, commas or semicolons. Each is looked up on every cluster of the run and logged out wherever it is.',
  login: 'One login per line: device,user[,profile[,duration]]; duration in minutes, "indefinite" for no automatic logout, empty for the cluster\'s default. A header row "device,user,profile,duration" is optional.'
}
const CSV_HINTS: Record<Mode, string> = {
  devices: 'Device names in the first column, or under a header "Device Name" (as CUCM\'s exports write it) in any column.',
  users: 'User IDs in the first column, or under a header "User ID" (as CUCM\'s exports write it) in any column.',
  login: 'Columns device,user,profile,duration, or a header row naming them ("Device Name", "User ID") in any order. Duration: minutes until automatic logout, "indefinite" (or "never", "none") for none, empty for the cluster\'s default; profile empty for the user\'s default.'
}

/** The columns a mode's file holds, in their order without a header row: as the server reads it. */
const FILE_COLUMNS: Record<Mode, readonly CsvColumn[]> = { devices: ['device'], users: ['user'], login: ['device', 'user', 'profile', 'duration'] }

/** The run the form describes, or why there is none yet. */
function requestOf (mode: Mode, text: string, file: CsvFile | undefined, table: CsvTable | { problem: string } | undefined): { request?: RunRequest, invalid: InvalidName[], repeated: number, fileProblem?: string, notes?: string[] } {
  // Said once for the file, as the server says it: not every entry "not a device name".
  if (table !== undefined && 'problem' in table) return { invalid: [], repeated: 0, fileProblem: table.problem }
  if (mode === 'users') {
    // Read here, file or paste alike: the API takes a user list as JSON.
    const { names, invalid, repeated } = table !== undefined ? uniqueUserIds(table.rows.map((row) => cellOf(table, row.fields, 'user'))) : parseUserIds(text)
    return { request: names.length === 0 ? undefined : { kind: 'json', body: { action: 'logout', users: names } }, invalid, repeated }
  }
  const action = actionOf(mode)
  // A file, or pasted logins, are CSV: the server reads them and reports bad lines and repeats.
  // Its name is for the run's title only: a name the API cannot take (a control character) is not sent, the run still is.
  if (file !== undefined) return { request: { kind: 'csv', action, text: file.text, ...(fieldProblem(FILE_NAME, file.name) === undefined ? { file: file.name } : {}) }, invalid: [], repeated: 0 }
  if (!hasEntries(text)) return { invalid: [], repeated: 0 }
  if (action === 'login') return { request: { kind: 'csv', action, text }, invalid: [], repeated: 0 }
  const { names, invalid, repeated, notes } = parseDeviceNames(text)
  return { request: names.length === 0 ? undefined : { kind: 'json', body: { action: 'logout', devices: names } }, invalid, repeated, notes }
}

/** How many entries `request` names: a pasted list's devices or users, else the file's `fileRows`. */
function entriesOf (request: RunRequest | undefined, fileRows: number): number {
  if (request?.kind !== 'json') return fileRows
  return 'devices' in request.body ? request.body.devices.length : 'users' in request.body ? request.body.users.length : 0
}

function actionOf (mode: Mode): RunAction {
  return mode === 'login' ? 'login' : 'logout'
}

/**
 * What was pasted, kept for this tab (sessionStorage) until the run starts: a reload or a look at
 * another screen does not lose a list of hundreds of devices, nor does a session that ended while
 * it was typed. It is its writer's: someone else signing in on this tab starts from an empty form.
 * Not the uploaded file: the browser asks for that again anyway.
 */
const DRAFT_KEY = 'em-console-bulk-run-draft'

interface Draft {
  /** Who wrote it. */
  user?: string
  mode: Mode
  text: string
  verifyAfter: string
}

/** What Start will do, in the preview's own terms: what is sent, what is looked up again, what is skipped. */
function runNote (mode: Mode, toSend: number, toCheck: number): string {
  const action = actionOf(mode)
  if (mode === 'users' && toSend + toCheck === 0) return 'Nothing to do: every user is unknown, excluded or logged in nowhere.'
  if (toSend + toCheck === 0) return 'Nothing to do: every device is unknown or excluded, or nobody is logged in on it.'
  const skipped = mode === 'users' ? 'excluded devices, unknown users and users logged in nowhere are skipped.' : 'excluded and unknown devices are skipped.'
  if (toSend === 0) return `Nobody is logged in on these devices now: the run looks them up again as it goes and logs out whoever is on them by then; ${skipped}`
  const checked = `the ${plural(toCheck, 'empty device')} ${toCheck === 1 ? 'is' : 'are'} looked up again as the run goes`
  const sends = `${action === 'logout' ? 'Sends a logout' : 'Sends a login'} for ${plural(toSend, 'device')}`
  return toCheck === 0 ? `${sends}; ${skipped}` : `${sends}; ${checked}; ${skipped}`
}

/** A new form's fields: a draft that is still this is not kept. */
const EMPTY_DRAFT: Draft = { mode: 'devices', text: '', verifyAfter: String(DEFAULT_VERIFY_AFTER_SECONDS) }

function readDraft (user: string | undefined): Draft {
  try {
    const stored = JSON.parse(window.sessionStorage.getItem(DRAFT_KEY) ?? 'null') as Partial<Draft> | null
    if (stored === null || typeof stored !== 'object' || stored.user !== user) return EMPTY_DRAFT
    return {
      mode: MODES.find((m) => m.mode === stored.mode)?.mode ?? 'devices',
      text: typeof stored.text === 'string' ? stored.text : '',
      verifyAfter: typeof stored.verifyAfter === 'string' ? stored.verifyAfter : EMPTY_DRAFT.verifyAfter
    }
  } catch {
    return EMPTY_DRAFT
  }
}

function writeDraft (draft: Draft | undefined): void {
  try {
    if (draft === undefined) window.sessionStorage.removeItem(DRAFT_KEY)
    else window.sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft))
  } catch {
    // Storage may be full or refused (private browsing): the draft then lives as long as the page.
  }
}

/** How long typing pauses before the draft is stored: storing a list of 5,000 names took ~9 ms, in every keystroke. */
const DRAFT_PAUSE_MS = 300

/**
 * Keeps the form's fields as the draft of `user` once typing pauses, and at once when the page is
 * left (a reload, a closed tab) or the form leaves the screen (another screen, a sign-out, an ended
 * session); fields that are still a new form's are no draft. `spend` forgets it for good: the run
 * has the list now.
 */
function useKeptDraft (user: string | undefined, mode: Mode, text: string, verifyAfter: string): { spend: () => void } {
  /** The draft not stored yet (undefined inside: none to keep), if any. */
  const pending = useRef<{ draft: Draft | undefined }>(undefined)
  useEffect(() => {
    const empty = text === EMPTY_DRAFT.text && mode === EMPTY_DRAFT.mode && verifyAfter === EMPTY_DRAFT.verifyAfter
    pending.current = { draft: empty ? undefined : { user, mode, text, verifyAfter } }
    const timer = setTimeout(() => { storePending(pending) }, DRAFT_PAUSE_MS)
    return () => { clearTimeout(timer) }
  }, [user, mode, text, verifyAfter])
  useEffect(() => {
    const now = (): void => { storePending(pending) }
    window.addEventListener('pagehide', now)
    return () => {
      window.removeEventListener('pagehide', now)
      now()
    }
  }, [])
  return {
    spend: () => {
      pending.current = undefined
      writeDraft(undefined)
    }
  }
}

function storePending (pending: { current: { draft: Draft | undefined } | undefined }): void {
  if (pending.current === undefined) return
  writeDraft(pending.current.draft)
  pending.current = undefined
}

interface NewRunFormProps {
  onStarted: (id: string) => void
}

/** Choose logout (of devices or users) or login, paste a list or upload a CSV, preview, then start. */
export function NewRunForm ({ onStarted }: NewRunFormProps) {
  const user = useSignedInUser()
  const [draft] = useState(() => readDraft(user))
  const [mode, setMode] = useState<Mode>(draft.mode)
  const [text, setText] = useState(draft.text)
  const [file, setFile] = useState<CsvFile>()
  /** Why the file chosen last could not be read (none is used then). */
  const [unreadFile, setUnreadFile] = useState<string>()
  const [verifyAfter, setVerifyAfter] = useState(draft.verifyAfter)
  const kept = useKeptDraft(user, mode, text, verifyAfter)
  const fileRef = useRef<HTMLInputElement>(null)
  const preview = usePreviewRun()
  const start = useStartRun()
  const id = useId()

  // The header's cluster picker: a run of that cluster only; "All" looks every device up everywhere.
  const scope = useClusterScope()
  // The chosen file read as the server will read it (a list of users, as the dashboard sends it).
  const table = useMemo(() => file === undefined ? undefined : readCsvTable(file.text, FILE_COLUMNS[mode]), [file, mode])
  // A list of thousands of names is read once typing pauses, not in each keystroke: the box answers
  // at once and what is said of the list follows. A preview asked meanwhile reads the box.
  const listText = useListsRead(text, text.length)
  const made = useMemo(() => requestOf(mode, listText, file, table), [mode, listText, file, table])
  // What the pasted list or the file names, once each, and how many it names twice.
  // A file sent as it is counts by its rows, as the server counts them: one too many is said here, not after Preview.
  const fileRows = made.request?.kind === 'csv' && table !== undefined && !('problem' in table) ? table.rows.length : 0
  const listed = entriesOf(made.request, fileRows)
  const repeated = made.repeated
  const scoped = (asked: RunRequest | undefined): RunRequest | undefined => asked === undefined || scope.param === undefined ? asked : { ...asked, cluster: scope.param }
  const request = scoped(made.request)
  const { invalid } = made
  // Another cluster chosen in the header makes the preview out of date.
  const { reset: resetPreview } = preview
  useEffect(() => { resetPreview() }, [scope.param, resetPreview])
  const verifySeconds = Number(verifyAfter)
  const verifyValid = Number.isInteger(verifySeconds) && verifySeconds >= 0 && verifySeconds <= MAX_VERIFY_AFTER_SECONDS
  const previewed = preview.data
  // Start runs what was previewed: a long list typed in just before Preview is not read again yet.
  const previewedRequest = preview.variables
  const { toSend, toCheck } = previewTotals(previewed)
  const toRun = toSend + toCheck

  /** Any change to what the run is made of makes the preview out of date. */
  function changed () {
    preview.reset()
    start.reset()
  }

  async function chooseFile (chosen: File | undefined) {
    changed()
    setUnreadFile(undefined)
    if (chosen === undefined) {
      setFile(undefined)
      return
    }
    const tooLarge = csvSizeProblem(chosen)
    if (tooLarge !== undefined) {
      clearFile()
      setUnreadFile(tooLarge)
      return
    }
    try {
      setFile({ name: chosen.name, text: await readCsvFile(chosen) })
    } catch (error) {
      clearFile()
      setUnreadFile(fileReadProblem(error))
    }
  }

  function clearFile () {
    changed()
    setFile(undefined)
    if (fileRef.current !== null) fileRef.current.value = ''
  }

  return (
    <section className='card' aria-labelledby={`${id}-title`}>
      <header className='card-header'>
        <h2 id={`${id}-title`}>New bulk run</h2>
      </header>
      {/* The form's own words under each field, not the browser's bubbles. */}
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          const asked = listText === text ? request : scoped(requestOf(mode, text, file, table).request)
          // One too many, typed in just now, is said under the box once it is read, not sent.
          if (asked !== undefined && entriesOf(asked, fileRows) <= MAX_RUN_ITEMS && !preview.isPending) preview.mutate(asked)
        }}
      >
        <fieldset className='fieldset fieldset-first'>
          <legend className='field-label'>Action</legend>
          <div className='radio-row'>
            {MODES.map((choice) => (
              <label key={choice.mode} className='choice'>
                <input type='radio' name={`${id}-action`} checked={mode === choice.mode} onChange={() => { changed(); setMode(choice.mode) }} />
                {choice.label}
              </label>
            ))}
          </div>
        </fieldset>

        <div className='grid-2'>
          <div className='field'>
            <label className='field-label' htmlFor={`${id}-list`}>{PASTE_LABELS[mode]}</label>
            <textarea
              id={`${id}-list`}
              className='input mono'
              rows={6}
              value={file === undefined ? text : ''}
              onChange={(event) => { changed(); setText(event.target.value) }}
              placeholder={file !== undefined ? undefined : PLACEHOLDERS[mode]}
              spellCheck={false}
              disabled={file !== undefined}
              aria-describedby={`${id}-list-hint`}
            />
            <span id={`${id}-list-hint`} className='field-hint'>{file === undefined ? PASTE_HINTS[mode] : 'The uploaded file is used instead; remove it to paste a list.'}</span>
          </div>
          <div className='field'>
            <label className='field-label' htmlFor={`${id}-file`}>Or upload a CSV file</label>
            <input
              ref={fileRef}
              id={`${id}-file`}
              className='input input-file'
              type='file'
              accept='.csv,text/csv,text/plain'
              onChange={(event) => { chooseFile(event.target.files?.[0]).catch(() => {}) }}
              aria-describedby={unreadFile === undefined ? `${id}-file-hint` : `${id}-file-hint ${id}-file-error`}
            />
            <span id={`${id}-file-hint`} className='field-hint'>{CSV_HINTS[mode]} {mode === 'users' ? 'Entries that cannot be user IDs are listed and left out.' : 'Bad rows are listed by line and not run.'}</span>
            {file !== undefined && (
              <p className='file-chosen small'>
                <span className='mono'>{file.name}</span> {table !== undefined && !('problem' in table) && <span className='muted'>({plural(table.rows.length, 'row')})</span>}{' '}
                <button type='button' className='link-button' onClick={clearFile}>Remove file</button>
              </p>
            )}
            {table !== undefined && !('problem' in table) && <span className='field-hint' role='status'>{columnNote(table)}</span>}
            {made.fileProblem !== undefined && <span className='field-error' role='alert'>{made.fileProblem}</span>}
            {unreadFile !== undefined && <span id={`${id}-file-error`} className='field-error' role='alert'>{unreadFile}</span>}
            <div className='field field-inline'>
              <label className='field-label' htmlFor={`${id}-verify`}>Re-check after</label>
              <input
                id={`${id}-verify`}
                className='input input-narrow'
                type='number'
                min={0}
                max={MAX_VERIFY_AFTER_SECONDS}
                value={verifyAfter}
                onChange={(event) => setVerifyAfter(event.target.value)}
                aria-invalid={verifyValid ? undefined : true}
                aria-describedby={`${id}-verify-hint`}
              />
              <span className='small muted'>seconds</span>
            </div>
            <span id={`${id}-verify-hint`} className={verifyValid ? 'field-hint' : 'field-error'}>
              {verifyValid ? 'Looks every device up again after the run (EM caches state about two minutes); 0 for no re-check.' : `Enter whole seconds from 0 to ${MAX_VERIFY_AFTER_SECONDS}.`}
            </span>
          </div>
        </div>

        <ReadNotes notes={made.notes} />
        <InvalidNamesNotice invalid={invalid} outcome='will be left out' kind={mode === 'users' ? 'user' : 'device'} />
        {listed > MAX_RUN_ITEMS && (
          <p className='field-error' role='alert'>This {fileRows > 0 ? `file has ${formatCount(listed)} rows` : `list has ${formatCount(listed)} ${mode === 'users' ? 'user IDs' : 'devices'}`}: a run takes at most {formatCount(MAX_RUN_ITEMS)}. Split it into several runs.</p>
        )}
        {repeated > 0 && <p className='field-hint' role='status'>{plural(repeated, 'entry', 'entries')} listed twice {repeated === 1 ? 'is' : 'are'} asked once.</p>}
        {scope.several && (
          <p className='field-hint'>
            {scope.current === undefined
              ? mode === 'users'
                ? 'Every cluster: each user is looked up on all of them and logged out wherever it is.'
                : 'Every cluster: each device is looked up on all of them and run where it is; one found on several is not run.'
              : `Only cluster ${scope.current.name}: the cluster chosen in the header.`}
          </p>
        )}
        <div className='button-row button-row-start'>
          <button type='submit' className={previewed === undefined ? 'button button-primary' : 'button'} disabled={request === undefined || listed > MAX_RUN_ITEMS || preview.isPending}>
            {preview.isPending ? mode === 'users' ? 'Looking up every user…' : 'Looking up every device…' : 'Preview'}
          </button>
        </div>
      </form>

      {preview.isError && <ErrorNotice error={preview.error} title='Could not preview the run' />}
      {previewed !== undefined && previewedRequest !== undefined && (
        <section className='preview-block' aria-labelledby={`${id}-preview-title`}>
          <h3 id={`${id}-preview-title`} className='section-title'>Preview</h3>
          <RunPreview preview={previewed} byUsers={mode === 'users'} />
          {start.isError && <ErrorNotice error={start.error} title='Could not start the run' />}
          <div className='button-row button-row-start'>
            <button
              type='button'
              className='button button-primary'
              disabled={toRun === 0 || !verifyValid || start.isPending}
              onClick={() => start.mutate({ request: previewedRequest, verifyAfterSeconds: verifySeconds }, {
                onSuccess: (started) => {
                  // The run has the list now: the draft is spent.
                  kept.spend()
                  setText('')
                  onStarted(started.id)
                }
              })}
            >
              {start.isPending ? 'Starting…' : 'Start'}
            </button>
            <span className='muted small button-row-note'>
              {runNote(mode, toSend, toCheck)}
            </span>
          </div>
        </section>
      )}
    </section>
  )
}
