import { useState, type ReactNode } from 'react'
import { Badge } from '../../../components/badge.tsx'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { auditHref } from '../../../lib/audit-link.ts'
import { useHasRole } from '../../../lib/authorization.tsx'
import { useUserDeviceProfiles } from '../api/get-user-device-profiles.ts'
import { useUserDevices } from '../api/get-user-devices.ts'
import { useLogoutUser } from '../api/logout-user.ts'

interface UserLookupProps {
  userId: string
  onSearch: (userId: string) => void
  /** The per-device action (a Logout button), supplied by the screen. */
  renderDeviceAction: (deviceName: string) => ReactNode
}

export function UserLookup ({ userId, onSearch, renderDeviceAction }: UserLookupProps) {
  const [text, setText] = useState(userId)

  return (
    <>
      <section className='card' aria-labelledby='user-lookup-title'>
        <header className='card-header'>
          <h2 id='user-lookup-title'>Look up a user</h2>
        </header>
        <form
          className='inline-form'
          onSubmit={(event) => {
            event.preventDefault()
            const trimmed = text.trim()
            if (trimmed !== '') onSearch(trimmed)
          }}
        >
          <label className='field field-grow'>
            <span className='field-label'>User ID</span>
            <input className='input' value={text} onChange={(event) => setText(event.target.value)} placeholder='jdoe' spellCheck={false} autoComplete='off' />
          </label>
          <button type='submit' className='button button-primary' disabled={text.trim() === ''}>Look up</button>
        </form>
      </section>
      {userId !== '' && (
        <div className='grid-2'>
          <UserDevicesCard key={`devices-${userId}`} userId={userId} renderDeviceAction={renderDeviceAction} />
          <UserProfilesCard userId={userId} />
        </div>
      )}
    </>
  )
}

function UserDevicesCard ({ userId, renderDeviceAction }: { userId: string, renderDeviceAction: (deviceName: string) => ReactNode }) {
  const devices = useUserDevices(userId)
  const logoutUser = useLogoutUser()
  const [confirming, setConfirming] = useState(false)
  const canOperate = useHasRole('operator')
  const list = devices.data?.devices ?? []

  return (
    <section className='card' aria-labelledby='user-devices-title'>
      <header className='card-header'>
        <h2 id='user-devices-title'>Logged in on</h2>
        {devices.isFetching && <span className='muted small'>Refreshing…</span>}
      </header>
      {devices.isPending && <p className='muted'>Looking up {userId}…</p>}
      {devices.isError && <ErrorNotice error={devices.error} title={`Could not look up ${userId}`} />}
      {devices.data?.exists === false && (
        <div className='notice notice-warn' role='status'><p className='notice-message'>CUCM has no user <strong>{userId}</strong>.</p></div>
      )}
      {devices.data?.exists === true && list.length === 0 && <p className='empty'>{userId} is not logged in on any device.</p>}
      {list.length > 0 && (
        <>
          <ul className='item-list' aria-label={`Devices ${userId} is logged in on`}>
            {list.map((deviceName) => (
              <li key={deviceName} className='item-row'>
                <span className='mono'>{deviceName}</span>
                {renderDeviceAction(deviceName)}
              </li>
            ))}
          </ul>
          {canOperate && (
            <div className='button-row button-row-start'>
              {!confirming && (
                <button type='button' className='button' onClick={() => { logoutUser.reset(); setConfirming(true) }} disabled={logoutUser.isPending}>
                  {logoutUser.isPending ? 'Logging out…' : 'Log out everywhere'}
                </button>
              )}
              {confirming && (
                <span className='inline-confirm' role='group' aria-label='Confirm log out everywhere'>
                  <span className='small'>Log {userId} out of {list.length === 1 ? 'this device' : `all ${list.length} devices`}?</span>
                  <button type='button' className='button button-danger button-small' autoFocus onClick={() => { setConfirming(false); logoutUser.mutate(userId) }}>Confirm</button>
                  <button type='button' className='button button-ghost button-small' onClick={() => setConfirming(false)}>Cancel</button>
                </span>
              )}
            </div>
          )}
        </>
      )}
      {logoutUser.isError && <ErrorNotice error={logoutUser.error} title={`Could not log ${userId} out`} />}
      {logoutUser.isSuccess && (
        <div role='status'>
          <ul className='result-list' aria-label='Logout results'>
            {logoutUser.data.results.length === 0 && <li>{userId} was not logged in anywhere.</li>}
            {logoutUser.data.results.map((result) => (
              <li key={result.deviceName}>
                <Badge tone={result.outcome === 'success' || result.outcome === 'already-logged-out' ? 'ok' : 'bad'}>
                  {result.outcome === 'success' ? 'Logged out' : result.outcome === 'already-logged-out' ? 'Already logged out' : 'Failed'}
                </Badge>{' '}
                <span className='mono'>{result.deviceName}</span>{' '}
                {result.outcome !== 'success' && <span className='small'>{result.message}{result.emapiCode !== undefined && ` (EMAPI code ${result.emapiCode})`} </span>}
                <a href={auditHref(result.auditId)}>Audit #{result.auditId}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  )
}

function UserProfilesCard ({ userId }: { userId: string }) {
  const profiles = useUserDeviceProfiles(userId)
  const list = profiles.data?.profiles ?? []
  return (
    <section className='card' aria-labelledby='user-profiles-title'>
      <header className='card-header'>
        <h2 id='user-profiles-title'>Device profiles</h2>
      </header>
      {profiles.isPending && <p className='muted'>Loading profiles…</p>}
      {profiles.isError && <ErrorNotice error={profiles.error} title={`Could not read the profiles of ${userId}`} />}
      {profiles.data?.exists === true && list.length === 0 && <p className='empty'>{userId} has no device profiles.</p>}
      {list.length > 0 && (
        <ul className='item-list' aria-label={`Device profiles of ${userId}`}>
          {list.map((profile) => (
            <li key={profile.name} className='item-row'>
              <span className='mono'>{profile.name}</span>
              {profile.isDefault && <Badge tone='info'>Default</Badge>}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
