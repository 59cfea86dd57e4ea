import { useId, useMemo, useRef, useState, type ReactNode } from 'react'
import { LIST_NAME, MAX_DEVICE_LISTS, MAX_LIST_ENTRIES, fieldProblem, hintOf } from '@em-console/shared/field-rules'
import type { Settings, SettingsUpdate } from '@em-console/shared/schemas'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { ApiError } from '../../../lib/api-client.ts'
import { useHasRole } from '../../../lib/authorization.tsx'
import { InvalidNamesNotice, ReadNotes } from '../../../components/invalid-names.tsx'
import { displayDeviceName, parseDeviceNames, type InvalidName, type ParsedNames } from '../../../lib/device-names.ts'
import { formatCount, plural } from '../../../lib/format.ts'
import { useListSchedules, type ListSchedule } from '../api/get-list-schedules.ts'
import { useSettings } from '../../../lib/get-settings.ts'
import { useUpdateSettings } from '../api/update-settings.ts'
import { useListsRead } from '../../../lib/use-debounced.ts'

/** User IDs may hold spaces and `@`, so only new lines and commas separate them. */
function parseUserIds (text: string): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const part of text.split(/[\n,;]+/)) {
    const user = part.trim()
    if (user === '' || seen.has(user.toLowerCase())) continue
    seen.add(user.toLowerCase())
    out.push(user)
  }
  return out
}

export function SettingsView () {
  const settings = useSettings()
  const isAdmin = useHasRole('admin')
  if (settings.isPending) return <p className='muted'>Loading settings…</p>
  if (settings.isError) return <ErrorNotice error={settings.error} title='Could not read the settings' />
  return isAdmin ? <SettingsForm settings={settings.data} reread={settings.refetch} /> : <SettingsReadOnly settings={settings.data} />
}

/** A device list as edited: its name and its devices as typed; `key` keeps React's rows stable while names change; `savedAs`: its name as saved (none for a list added here). */
interface ListDraft {
  key: number
  name: string
  text: string
  savedAs?: string
}

let nextKey = 1
const draftsOf = (settings: Settings): ListDraft[] => settings.deviceLists.map((list) => ({ key: nextKey++, name: list.name, text: list.devices.map(displayDeviceName).join('\n'), savedAs: list.name }))

/** Whether two device list names are one list's, as the server compares them (case aside). */
const sameListName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()

/**
 * What saving `lists` would do to the schedules that log out a device list, in the words the
 * Schedules screen will then say (the server's `problem`): a list they name renamed, removed or
 * emptied here, or the first list removed under a schedule of "the first list". A list renamed in
 * case only is still theirs, as the server finds it. `devicesOf`: how many devices a list as edited
 * holds (undefined while it is being read).
 */
function listScheduleProblems (schedules: readonly ListSchedule[], saved: Settings['deviceLists'], lists: readonly ListDraft[], devicesOf: (list: ListDraft) => number | undefined): string[] {
  const names = lists.map((list) => list.name.trim())
  /** The schedule's list kept here but emptied (it had devices), in the server's words. */
  const emptied = (schedule: ListSchedule, list: ListDraft | undefined): string[] => {
    const before = saved.find((s) => list?.savedAs !== undefined && s.name === list.savedAs)
    if (list === undefined || before === undefined || before.devices.length === 0 || devicesOf(list) !== 0) return []
    return [`"${schedule.name}" ("${before.name}" is emptied here): The device list "${list.name.trim()}" is empty: add devices to it in Settings.`]
  }
  return schedules.flatMap((schedule) => {
    if (schedule.list === null) {
      const first = saved[0]?.name
      if (first === undefined) return []
      if (lists[0] === undefined) return [`"${schedule.name}" (the first list, now "${first}"): There is no device list: add one in Settings.`]
      return lists[0].savedAs === first ? emptied(schedule, lists[0]) : [`"${schedule.name}" logs out the first list: that is "${first}" now, "${names[0] ?? ''}" once saved.`]
    }
    const named = schedule.list
    if (!saved.some(({ name }) => sameListName(name, named))) return []
    const kept = names.findIndex((name) => sameListName(name, named))
    if (kept >= 0) return emptied(schedule, lists[kept])
    const renamed = lists.find((list) => list.savedAs !== undefined && sameListName(list.savedAs, named))
    return [`"${schedule.name}" (${renamed === undefined ? `"${named}" is removed here` : `"${named}" is renamed "${renamed.name.trim()}" here`}): No device list is named "${named}" any more: edit the schedule to pick one of the lists in Settings.`]
  })
}

const MUST_FIX = 'must be fixed before saving'

/** A list's devices field, named by the list (its number while it has no name). */
function devicesLabel (list: ListDraft, index: number): string {
  return `Devices of ${list.name.trim() === '' ? `list ${index + 1}` : list.name.trim()}`
}

/** Whether a field of device names, as read, holds names that are not valid or more than a list takes. */
function cannotSave (parsed: ParsedNames | undefined): boolean {
  return parsed !== undefined && (parsed.invalid.length > 0 || parsed.names.length > MAX_LIST_ENTRIES)
}

/** A list past the API's limit, in words ("5,001 devices: at most 5,000 in one list; remove 1."): the server's refusal would name a JSON path. */
function overLimit (count: number, noun: string): string | undefined {
  return count > MAX_LIST_ENTRIES ? `${plural(count, noun)}: at most ${formatCount(MAX_LIST_ENTRIES)} in one list; remove ${formatCount(count - MAX_LIST_ENTRIES)}.` : undefined
}

/** A list field's line under it: how many it holds and how to separate them, or that it holds too many. */
function CountHint ({ id, count, noun, separators }: { id: string, count: number, noun: string, separators: string }) {
  const over = overLimit(count, noun)
  return over === undefined
    ? <span id={id} className='field-hint'>{plural(count, noun)}. {separators}</span>
    : <span id={id} className='field-error'>{over}</span>
}

/** A field of names: marked invalid while it holds bad entries or too many, and described by its count line then its bad entries. */
function invalidProps (fieldId: string, invalid: readonly InvalidName[], count: number) {
  const marked = invalid.length > 0 || overLimit(count, '') !== undefined ? { 'aria-invalid': true } : {}
  return { ...marked, 'aria-describedby': invalid.length === 0 ? `${fieldId}-hint` : `${fieldId}-hint ${fieldId}-error` }
}

/** The first problem of a list's name: the rule's words, or a name another list has. */
function listNameProblem (lists: readonly ListDraft[], index: number): string | undefined {
  const name = lists[index]?.name.trim() ?? ''
  if (name === '') return 'Give the list a name.'
  const problem = fieldProblem(LIST_NAME, name)
  if (problem !== undefined) return problem
  return lists.slice(0, index).some((other) => other.name.trim().toLowerCase() === name.toLowerCase()) ? `Another list is named "${name}".` : undefined
}

function SettingsForm ({ settings, reread }: { settings: Settings, reread: () => Promise<{ data?: Settings }> }) {
  const [devices, setDevices] = useState(settings.exemptions.devices.map(displayDeviceName).join('\n'))
  const [users, setUsers] = useState(settings.exemptions.users.join('\n'))
  const [lists, setLists] = useState(() => draftsOf(settings))
  // The settings this form's edits start from: another admin's save since then refuses this one
  // (CHANGED_SINCE_READ) rather than be undone by it unseen.
  const [basedOn, setBasedOn] = useState(settings.revision)
  // A list added by its button: its name field takes the focus, where the keyboard goes next.
  const [addedKey, setAddedKey] = useState<number>()
  const addListRef = useRef<HTMLButtonElement>(null)
  const update = useUpdateSettings()
  const listSchedules = useListSchedules()
  const id = useId()

  // Lists of thousands of names are read once typing pauses, not in each keystroke, and a list is
  // read again only when it changed (by its draft, which an edit replaces): typing in one field
  // does not read every list. Save reads what the fields hold.
  const [parsedOf] = useState(() => new WeakMap<ListDraft, ParsedNames>())
  const readList = (list: ListDraft): ParsedNames => {
    const known = parsedOf.get(list)
    if (known !== undefined) return known
    const parsed = parseDeviceNames(list.text)
    parsedOf.set(list, parsed)
    return parsed
  }
  const shownDevices = useListsRead(devices, devices.length)
  const shownLists = useListsRead(lists, lists.reduce((chars, list) => chars + list.text.length, 0))
  const exemptDevices = useMemo(() => parseDeviceNames(shownDevices), [shownDevices])
  const exemptUsers = parseUserIds(users)
  const usersOverLimit = exemptUsers.length > MAX_LIST_ENTRIES
  const parsedLists = shownLists.map((list) => ({ key: list.key, name: list.name.trim(), parsed: readList(list) }))
  const parsedOfKey = new Map(parsedLists.map((list) => [list.key, list.parsed]))
  const nameProblems = lists.map((_, i) => listNameProblem(lists, i))
  // Each field of device names says what in it is wrong; the Save button's line names the fields.
  const invalidFields = [
    ...(cannotSave(exemptDevices) ? ['Exempt devices'] : []),
    ...(usersOverLimit ? ['Exempt users'] : []),
    ...lists.flatMap((list, i) => cannotSave(parsedOfKey.get(list.key)) ? [devicesLabel(list, i)] : [])
  ]
  const next: SettingsUpdate = {
    exemptions: { devices: exemptDevices.names, users: exemptUsers },
    deviceLists: parsedLists.map((list) => ({ name: list.name, devices: list.parsed.names }))
  }
  // Saved lists compare as shown (upper case): a list saved in lower case is not "changed" by being read.
  const saved = useMemo(() => JSON.stringify({
    exemptions: { ...settings.exemptions, devices: settings.exemptions.devices.map(displayDeviceName) },
    deviceLists: settings.deviceLists.map((list) => ({ name: list.name, devices: list.devices.map(displayDeviceName) }))
  } satisfies SettingsUpdate), [settings])
  const changed = JSON.stringify(next) !== saved
  // Long lists typed in are read once typing pauses: a Save meanwhile reads the fields.
  const reading = devices !== shownDevices || lists !== shownLists
  const scheduleProblems = listScheduleProblems(listSchedules.data ?? [], settings.deviceLists, lists, (list) => parsedOfKey.get(list.key)?.names.length)
  const misnamed = nameProblems.some((problem) => problem !== undefined)
  const blocked = invalidFields.length > 0 || misnamed
  // While long lists wait to be read, what the fields hold may differ from the last reading: Save
  // is there for it, and reads them itself. What is read at once (list names, exempt users) still
  // holds it back.
  const canSave = !update.isPending && (reading ? !misnamed && !usersOverLimit : changed && !blocked)
  const conflict = update.error instanceof ApiError && update.error.code === 'CHANGED_SINCE_READ'
  /** The form shows `saved` as it now stands, edits dropped. */
  const fill = (saved: Settings) => {
    setDevices(saved.exemptions.devices.map(displayDeviceName).join('\n'))
    setUsers(saved.exemptions.users.join('\n'))
    setLists(draftsOf(saved))
    setBasedOn(saved.revision)
  }
  const edit = (key: number, change: Partial<ListDraft>) => {
    update.reset()
    setLists((current) => current.map((list) => list.key === key ? { ...list, ...change } : list))
  }

  /** The list that takes a removed one's place has the focus (its name), else the one before it, else Add a list. */
  function focusAfterRemoving (index: number) {
    const neighbour = lists[index + 1] ?? lists[index - 1]
    if (neighbour === undefined) addListRef.current?.focus()
    else document.getElementById(`${id}-list-${neighbour.key}-name`)?.focus()
  }

  return (
    <form
      className='stack'
      onSubmit={(event) => {
        event.preventDefault()
        if (!canSave) return
        let fields = next
        if (reading) {
          // Saved before long lists were read: what the fields hold now, checked as they are.
          const read = [parseDeviceNames(devices), ...lists.map(readList)]
          if (read.some(cannotSave)) return
          fields = { exemptions: { devices: read[0]?.names ?? [], users: exemptUsers }, deviceLists: lists.map((list, i) => ({ name: list.name.trim(), devices: read[i + 1]?.names ?? [] })) }
          if (JSON.stringify(fields) === saved) return
        }
        update.mutate({ ...fields, revision: basedOn }, { onSuccess: fill })
      }}
    >
      <SettingsCard
        title='Exemptions'
        description='Bulk logouts (runs, device lists, logouts by age or pool) never touch these devices, nor a device one of these users is logged in on; previews list them as excluded. A cluster-wide Log out all is one request to CUCM and cannot leave anyone out: for exemptions, log out a device list instead.'
      >
        <div className='grid-2'>
          <div className='field'>
            <label className='field-label' htmlFor={`${id}-devices`}>Exempt devices</label>
            <textarea id={`${id}-devices`} className='input mono' rows={6} value={devices} onChange={(event) => { update.reset(); setDevices(event.target.value) }} spellCheck={false} {...invalidProps(`${id}-devices`, exemptDevices.invalid, exemptDevices.names.length)} placeholder='SEP001122334455' />
            <CountHint id={`${id}-devices-hint`} count={exemptDevices.names.length} noun='device' separators='New lines, commas or spaces between names.' />
            <ReadNotes notes={exemptDevices.notes} />
            <InvalidNamesNotice id={`${id}-devices-error`} invalid={exemptDevices.invalid} outcome={MUST_FIX} />
          </div>
          <div className='field'>
            <label className='field-label' htmlFor={`${id}-users`}>Exempt users</label>
            <textarea id={`${id}-users`} className='input' rows={6} value={users} onChange={(event) => { update.reset(); setUsers(event.target.value) }} spellCheck={false} {...invalidProps(`${id}-users`, [], exemptUsers.length)} placeholder='oncall' />
            <CountHint id={`${id}-users-hint`} count={exemptUsers.length} noun='user' separators='One user ID per line, or commas between them.' />
          </div>
        </div>
      </SettingsCard>

      <SettingsCard
        title='Device lists'
        description={'Named lists of phones that are logged out one by one, exemptions applied: a schedule that logs out a device list picks one, and "Log out all EM users" can work through the first one.'}
      >
        {lists.length === 0 && <p className='muted small'>No list yet.</p>}
        {lists.map((list, i) => {
          const prefix = `${id}-list-${list.key}`
          const problem = nameProblems[i]
          const parsed = parsedOfKey.get(list.key)
          const count = parsed?.names.length ?? 0
          const invalid = parsed?.invalid ?? []
          return (
            <fieldset key={list.key} className='device-list'>
              <legend className='visually-hidden'>Device list {i + 1}{list.name.trim() === '' ? '' : `: ${list.name.trim()}`}</legend>
              <div className='field'>
                <label className='field-label' htmlFor={`${prefix}-name`}>List name</label>
                <input
                  id={`${prefix}-name`}
                  className='input'
                  value={list.name}
                  onChange={(event) => edit(list.key, { name: event.target.value })}
                  autoComplete='off'
                  spellCheck={false}
                  autoFocus={list.key === addedKey}
                  aria-invalid={problem !== undefined ? true : undefined}
                  aria-describedby={`${prefix}-name-hint`}
                />
                {problem !== undefined
                  ? <span id={`${prefix}-name-hint`} className='field-error'>{problem}</span>
                  : <span id={`${prefix}-name-hint`} className='field-hint'>{i === 0 ? 'The first list: the one "Log out all EM users" works through one by one.' : hintOf(LIST_NAME)}</span>}
              </div>
              <div className='field'>
                <label className='field-label' htmlFor={`${prefix}-devices`}>{devicesLabel(list, i)}</label>
                <textarea id={`${prefix}-devices`} className='input mono' rows={5} value={list.text} onChange={(event) => edit(list.key, { text: event.target.value })} spellCheck={false} {...invalidProps(`${prefix}-devices`, invalid, count)} placeholder='SEP001122334455' />
                <CountHint id={`${prefix}-devices-hint`} count={count} noun='device' separators='New lines, commas or spaces between names.' />
                <ReadNotes notes={parsed?.notes} />
                <InvalidNamesNotice id={`${prefix}-devices-error`} invalid={invalid} outcome={MUST_FIX} />
              </div>
              <div className='button-row button-row-start'>
                <button type='button' className='button button-ghost button-small' onClick={() => { update.reset(); focusAfterRemoving(i); setLists((current) => current.filter((other) => other.key !== list.key)) }}>
                  Remove {list.name.trim() === '' ? `list ${i + 1}` : `"${list.name.trim()}"`}
                </button>
              </div>
            </fieldset>
          )
        })}
        <div className='button-row button-row-start'>
          <button
            ref={addListRef}
            type='button'
            className='button button-ghost'
            disabled={lists.length >= MAX_DEVICE_LISTS}
            onClick={() => {
              update.reset()
              const key = nextKey++
              setAddedKey(key)
              setLists((current) => [...current, { key, name: '', text: '' }])
            }}
          >
            Add a list
          </button>
        </div>
      </SettingsCard>

      {invalidFields.length > 0 && <p className='field-error'>Fix before saving: {invalidFields.join(', ')}.</p>}
      {scheduleProblems.length > 0 && (
        <div className='notice notice-warn' role='status'>
          <p className='notice-title'>Saved so, {scheduleProblems.length === 1 ? 'a schedule needs' : `${formatCount(scheduleProblems.length)} schedules need`} attention:</p>
          <ul>{scheduleProblems.map((problem) => <li key={problem} className='notice-message'>{problem}</li>)}</ul>
        </div>
      )}
      {update.isError && <ErrorNotice error={update.error} title='Could not save the settings' />}
      {conflict && (
        <div className='button-row button-row-start'>
          <button
            type='button'
            className='button'
            onClick={() => {
              reread().then(({ data }) => { if (data !== undefined) { fill(data); update.reset() } }).catch(() => {})
            }}
          >
            Read the settings again (drops your changes)
          </button>
        </div>
      )}
      {update.isSuccess && (
        <div className='notice notice-success' role='status'>
          <p className='notice-message'>Settings saved. The next preview and run use them.</p>
        </div>
      )}
      <div className='button-row button-row-start'>
        <button type='submit' className='button button-primary' disabled={!canSave}>
          {update.isPending ? 'Saving…' : 'Save settings'}
        </button>
      </div>
    </form>
  )
}

function SettingsCard ({ title, description, children }: { title: string, description: string, children: ReactNode }) {
  const id = useId()
  return (
    <section className='card' aria-labelledby={`${id}-title`}>
      <header className='card-header'>
        <h2 id={`${id}-title`}>{title}</h2>
      </header>
      <p className='muted card-intro'>{description}</p>
      {children}
    </section>
  )
}

function NameList ({ label, names, mono = true }: { label: string, names: string[], mono?: boolean }) {
  const id = useId()
  return (
    <div className='field'>
      <h3 id={id} className='field-label'>{label} <span className='muted'>({names.length})</span></h3>
      {names.length === 0
        ? <p className='muted small'>None</p>
        : <ul className={mono ? 'name-list mono' : 'name-list'} aria-labelledby={id}>{names.map((name) => <li key={name}>{mono ? displayDeviceName(name) : name}</li>)}</ul>}
    </div>
  )
}

function SettingsReadOnly ({ settings }: { settings: Settings }) {
  return (
    <div className='stack'>
      <p className='muted small'>Admins change these lists; you can read them.</p>
      <SettingsCard title='Exemptions' description='Bulk logouts never touch these devices, nor a device one of these users is logged in on.'>
        <div className='grid-2'>
          <NameList label='Exempt devices' names={settings.exemptions.devices} />
          <NameList label='Exempt users' names={settings.exemptions.users} mono={false} />
        </div>
      </SettingsCard>
      <SettingsCard title='Device lists' description='Named lists of phones logged out one by one by schedules; "Log out all EM users" can work through the first.'>
        {settings.deviceLists.length === 0 && <p className='muted small'>No list yet.</p>}
        {settings.deviceLists.map((list) => <NameList key={list.name} label={list.name} names={list.devices} />)}
      </SettingsCard>
    </div>
  )
}
