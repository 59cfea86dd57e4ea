import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { InvalidNamesNotice, ReadNotes } from '../../../components/invalid-names.tsx'
import { UnavailableClusters } from '../../../components/unavailable-clusters.tsx'
import { hasEntries, parseDeviceNames, type InvalidName, type ParsedNames } from '../../../lib/device-names.ts'
import { useClusterScope } from '../../../lib/cluster.tsx'
import { formatCount, plural } from '../../../lib/format.ts'
import { useDeviceStatus } from '../api/get-device-status.ts'
import { DeviceTable, stateOf } from './device-table.tsx'

interface DeviceLookupProps {
  /** The names in the URL, so a look-up survives a reload and can be linked to. */
  names: string[]
  onSearch: (names: string[]) => void
  /** The device, and the cluster it was found on (null: on none). */
  onLogin: (deviceName: string, cluster: string | null) => void
}

export function DeviceLookup ({ names, onSearch, onLogin }: DeviceLookupProps) {
  const [invalid, setInvalid] = useState<InvalidName[]>([])
  const [notes, setNotes] = useState<string[]>()
  // The header's picker: one cluster, or (undefined) every cluster with one row per cluster found.
  const scope = useClusterScope()
  const status = useDeviceStatus(names, scope.param)
  const asked = names.join(',')

  // What the last search read of the box, forgotten once Back or Forward replaces what it holds.
  const forgetReading = useCallback(() => {
    setInvalid([])
    setNotes(undefined)
  }, [])

  function search (parsed: ParsedNames) {
    setInvalid(parsed.invalid)
    setNotes(parsed.notes)
    if (parsed.names.length === 0) {
      // Nothing left to look up: the last look-up's table would read as the answer to this one.
      if (asked !== '') onSearch([])
      return
    }
    // The same list again means "read it again", not "nothing changed".
    if (parsed.names.join(',') === asked) status.refetch()
    else onSearch(parsed.names)
  }

  // The previous look-up's answer is kept while the next one loads, not once no name is asked.
  const data = names.length > 0 ? status.data : undefined
  const devices = useMemo(() => data?.devices ?? [], [data])
  // The counts over thousands of devices, and the table (memo), are made again only when the answer changes.
  const counts = useMemo(() => {
    const byState = { 'logged-in': 0, free: 0, 'em-disabled': 0, unknown: 0 }
    for (const device of devices) byState[stateOf(device)]++
    return byState
  }, [devices])
  const count = (state: ReturnType<typeof stateOf>) => counts[state]

  return (
    <section className='card' aria-labelledby='device-lookup-title'>
      <header className='card-header'>
        <h2 id='device-lookup-title'>Look up devices</h2>
        {scope.several && <span className='muted small'>{scope.current === undefined ? 'On every cluster' : `On ${scope.current.name}`}</span>}
      </header>
      <NamesForm
        asked={asked}
        busy={status.isFetching}
        onSearch={search}
        onReplaced={forgetReading}
      />

      <ReadNotes notes={notes} />
      <InvalidNamesNotice invalid={invalid} outcome={invalid.length === 1 ? 'was not looked up' : 'were not looked up'} />
      {status.isError && <ErrorNotice error={status.error} title='Could not read the device status' />}
      <UnavailableClusters unavailable={data?.unavailable} missing='A device shown as unknown' />
      {data !== undefined && (
        <>
          <p className='summary' role='status'>
            {plural(devices.length, 'device')}: {formatCount(count('logged-in'))} logged in, {formatCount(count('free'))} free
            {count('em-disabled') > 0 && `, ${formatCount(count('em-disabled'))} with Extension Mobility disabled`}
            {count('unknown') > 0 && `, ${formatCount(count('unknown'))} unknown`}
          </p>
          <DeviceTable devices={devices} unsure={(data.unavailable ?? []).length > 0} onLogin={onLogin} />
        </>
      )}
    </section>
  )
}

interface NamesFormProps {
  /** The names looked up, joined by commas. */
  asked: string
  busy: boolean
  onSearch: (parsed: ParsedNames) => void
  /** Back or Forward replaced what was typed by the names looked up. */
  onReplaced: () => void
}

/**
 * The box of names and its button: a keystroke draws this form again, not the look-up's card
 * (its query's key, thousands of names, was hashed again in every keystroke).
 */
function NamesForm ({ asked, busy, onSearch, onReplaced }: NamesFormProps) {
  const [text, setText] = useState(() => namesText(asked))
  /** What the box holds, for the effect below (which runs when the names looked up change, not per keystroke). */
  const typed = useRef(text)

  // Back and Forward change the names in the URL: the box shows the look-up on screen. A search
  // of the box's own text changes nothing here (the same names), so what was typed stays.
  useEffect(() => {
    if (parseDeviceNames(typed.current).names.join(',') === asked) return
    onReplaced()
    typed.current = namesText(asked)
    setText(typed.current)
  }, [asked, onReplaced])

  return (
    <form
      className='lookup-form'
      onSubmit={(event) => {
        event.preventDefault()
        onSearch(parseDeviceNames(text))
      }}
    >
      <label className='field'>
        <span className='field-label'>Device names</span>
        <textarea
          className='input mono'
          rows={3}
          value={text}
          onChange={(event) => {
            typed.current = event.target.value
            setText(event.target.value)
          }}
          onKeyDown={(event) => {
            // A multi-line box: Enter adds a line, as everywhere else; Ctrl+Enter (⌘+Enter) looks up.
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault()
              if (hasEntries(text)) onSearch(parseDeviceNames(text))
            }
          }}
          placeholder='SEP001122334455'
          spellCheck={false}
          aria-describedby='device-names-hint'
        />
        <span id='device-names-hint' className='field-hint'>
          One name, or a pasted list separated by new lines, commas or spaces. Enter adds a line; Ctrl+Enter or Look up looks the names up.
        </span>
      </label>
      <div className='button-row button-row-start'>
        <button type='submit' className='button button-primary' disabled={!hasEntries(text) || busy}>
          {busy ? 'Looking up…' : 'Look up'}
        </button>
      </div>
    </form>
  )
}

/** Names joined by commas (as looked up), one a line (as the box shows them). */
function namesText (asked: string): string {
  return asked.split(',').filter((name) => name !== '').join('\n')
}
