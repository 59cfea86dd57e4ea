import { useState } from 'react'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { parseDeviceNames } from '../../../lib/device-names.ts'
import { plural } from '../../../lib/format.ts'
import { useDeviceStatus } from '../api/get-device-status.ts'
import { DeviceTable } from './device-table.tsx'

interface DeviceLookupProps {
  /** The names in the URL, so a look-up survives a reload and can be linked to. */
  names: string[]
  onSearch: (names: string[]) => void
  onLogin: (deviceName: string) => void
}

export function DeviceLookup ({ names, onSearch, onLogin }: DeviceLookupProps) {
  const [text, setText] = useState(names.join('\n'))
  const [invalid, setInvalid] = useState<string[]>([])
  const status = useDeviceStatus(names)

  function search () {
    const parsed = parseDeviceNames(text)
    setInvalid(parsed.invalid)
    if (parsed.names.length === 0) return
    // The same list again means "read it again", not "nothing changed".
    if (parsed.names.join(',') === names.join(',')) status.refetch()
    else onSearch(parsed.names)
  }

  const devices = status.data?.devices ?? []
  const found = devices.filter((d) => d.exists)
  const loggedIn = found.filter((d) => d.currentUser !== null)

  return (
    <section className='card' aria-labelledby='device-lookup-title'>
      <header className='card-header'>
        <h2 id='device-lookup-title'>Look up devices</h2>
      </header>
      <form
        className='lookup-form'
        onSubmit={(event) => {
          event.preventDefault()
          search()
        }}
      >
        <label className='field'>
          <span className='field-label'>Device names</span>
          <textarea
            className='input mono'
            rows={3}
            value={text}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              // Enter searches; Shift+Enter adds a line, as in chat boxes.
              if (event.key === 'Enter' && !event.shiftKey) {
                event.preventDefault()
                search()
              }
            }}
            placeholder='SEP001122334455'
            spellCheck={false}
            aria-describedby='device-names-hint'
          />
          <span id='device-names-hint' className='field-hint'>One name, or a pasted list separated by new lines, commas or spaces.</span>
        </label>
        <div className='button-row button-row-start'>
          <button type='submit' className='button button-primary' disabled={text.trim() === '' || status.isFetching}>
            {status.isFetching ? 'Looking up…' : 'Look up'}
          </button>
        </div>
      </form>

      {invalid.length > 0 && (
        <div className='notice notice-warn notice-compact' role='alert'>
          <p className='notice-message'>
            Not valid device names (letters, digits, dot, dash and underscore only): <span className='mono'>{invalid.join(', ')}</span>
          </p>
        </div>
      )}
      {status.isError && <ErrorNotice error={status.error} title='Could not read the device status' />}
      {status.data !== undefined && (
        <>
          <p className='summary' role='status'>
            {plural(devices.length, 'device')}: {loggedIn.length} logged in, {found.length - loggedIn.length} free
            {devices.length > found.length && `, ${devices.length - found.length} unknown`}
          </p>
          <DeviceTable devices={devices} onLogin={onLogin} />
        </>
      )}
    </section>
  )
}
