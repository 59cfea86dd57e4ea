import { useId, useState, type ReactNode } from 'react'
import type { Settings } from '@em-console/shared/schemas'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { useHasRole } from '../../../lib/authorization.tsx'
import { InvalidNamesNotice } from '../../../components/invalid-names.tsx'
import { displayDeviceName, parseDeviceNames } from '../../../lib/device-names.ts'
import { plural } from '../../../lib/format.ts'
import { useSettings } from '../api/get-settings.ts'
import { useUpdateSettings } from '../api/update-settings.ts'

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
  return isAdmin ? <SettingsForm settings={settings.data} /> : <SettingsReadOnly settings={settings.data} />
}

function SettingsForm ({ settings }: { settings: Settings }) {
  const [devices, setDevices] = useState(settings.exemptions.devices.map(displayDeviceName).join('\n'))
  const [users, setUsers] = useState(settings.exemptions.users.join('\n'))
  const [logoutList, setLogoutList] = useState(settings.logoutDeviceList.map(displayDeviceName).join('\n'))
  const update = useUpdateSettings()
  const id = useId()

  const exemptDevices = parseDeviceNames(devices)
  const exemptUsers = parseUserIds(users)
  const listDevices = parseDeviceNames(logoutList)
  const invalid = [...exemptDevices.invalid, ...listDevices.invalid]
  const next: Settings = { exemptions: { devices: exemptDevices.names, users: exemptUsers }, logoutDeviceList: listDevices.names }
  // Saved lists compare as shown (upper case): a list saved in lower case is not "changed" by being read.
  const shownSettings: Settings = { ...settings, exemptions: { ...settings.exemptions, devices: settings.exemptions.devices.map(displayDeviceName) }, logoutDeviceList: settings.logoutDeviceList.map(displayDeviceName) }
  const changed = JSON.stringify(next) !== JSON.stringify(shownSettings)

  return (
    <form
      className='stack'
      onSubmit={(event) => {
        event.preventDefault()
        if (invalid.length > 0 || update.isPending) return
        update.mutate(next, {
          onSuccess: (saved) => {
            setDevices(saved.exemptions.devices.map(displayDeviceName).join('\n'))
            setUsers(saved.exemptions.users.join('\n'))
            setLogoutList(saved.logoutDeviceList.map(displayDeviceName).join('\n'))
          }
        })
      }}
    >
      <SettingsCard
        title='Exemptions'
        description='Bulk logouts never touch these devices, nor a device one of these users is logged in on. Previews list them as excluded.'
      >
        <div className='grid-2'>
          <div className='field'>
            <label className='field-label' htmlFor={`${id}-devices`}>Exempt devices</label>
            <textarea id={`${id}-devices`} className='input mono' rows={6} value={devices} onChange={(event) => { update.reset(); setDevices(event.target.value) }} spellCheck={false} aria-describedby={`${id}-devices-hint`} placeholder='SEP001122334455' />
            <span id={`${id}-devices-hint`} className='field-hint'>{plural(exemptDevices.names.length, 'device')}. New lines, commas or spaces between names.</span>
          </div>
          <div className='field'>
            <label className='field-label' htmlFor={`${id}-users`}>Exempt users</label>
            <textarea id={`${id}-users`} className='input' rows={6} value={users} onChange={(event) => { update.reset(); setUsers(event.target.value) }} spellCheck={false} aria-describedby={`${id}-users-hint`} placeholder='oncall' />
            <span id={`${id}-users-hint`} className='field-hint'>{plural(exemptUsers.length, 'user')}. One user ID per line, or commas between them.</span>
          </div>
        </div>
      </SettingsCard>

      <SettingsCard
        title='Per-device logout list'
        description={'The devices "Log out all EM users" works through one by one when that mode is chosen, and that "Log out the saved device list" schedules run. Exemptions still apply.'}
      >
        <div className='field'>
          <label className='field-label' htmlFor={`${id}-list`}>Devices to log out one by one</label>
          <textarea id={`${id}-list`} className='input mono' rows={6} value={logoutList} onChange={(event) => { update.reset(); setLogoutList(event.target.value) }} spellCheck={false} aria-describedby={`${id}-list-hint`} placeholder='SEP001122334455' />
          <span id={`${id}-list-hint`} className='field-hint'>{plural(listDevices.names.length, 'device')}. New lines, commas or spaces between names.</span>
        </div>
      </SettingsCard>

      <InvalidNamesNotice invalid={invalid} outcome='must be fixed before saving' />
      {update.isError && <ErrorNotice error={update.error} title='Could not save the settings' />}
      {update.isSuccess && (
        <div className='notice notice-success' role='status'>
          <p className='notice-message'>Settings saved. The next preview and run use them.</p>
        </div>
      )}
      <div className='button-row button-row-start'>
        <button type='submit' className='button button-primary' disabled={!changed || invalid.length > 0 || update.isPending}>
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
      <SettingsCard title='Per-device logout list' description='The devices the one-by-one "Log out all EM users" works through.'>
        <NameList label='Devices to log out one by one' names={settings.logoutDeviceList} />
      </SettingsCard>
    </div>
  )
}
