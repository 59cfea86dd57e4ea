import { useEffect, useState, type ReactNode } from 'react'
import { Badge } from '../../../components/badge.tsx'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { UnavailableClusters } from '../../../components/unavailable-clusters.tsx'
import { InlineConfirm } from '../../../components/inline-confirm.tsx'
import { auditHref } from '../../../lib/audit-link.ts'
import { useHasRole } from '../../../lib/authorization.tsx'
import { clusterLabel, useClusterScope } from '../../../lib/cluster.tsx'
import { displayDeviceName } from '../../../lib/device-names.ts'
import { fieldProblem, USER_ID } from '@em-console/shared/field-rules'
import { useUserDeviceProfiles } from '../api/get-user-device-profiles.ts'
import { useUserDevices } from '../api/get-user-devices.ts'
import { useLogoutUser } from '../api/logout-user.ts'

interface UserLookupProps {
  userId: string
  onSearch: (userId: string) => void
  /** The per-device action (a Logout button), supplied by the screen; `cluster` is where the device is. */
  renderDeviceAction: (deviceName: string, cluster: string | undefined) => ReactNode
  /** What the AXL inventory knows of the session on a device (since when, profile, pool), supplied by the screen. */
  renderDeviceFacts?: (deviceName: string) => ReactNode
}

/** The user a typed text would look up: none for a text the API would refuse (said under the field instead). */
const userToAsk = (text: string): string => fieldProblem(USER_ID, text.trim()) === undefined ? text.trim() : ''

export function UserLookup ({ userId, onSearch, renderDeviceAction, renderDeviceFacts }: UserLookupProps) {
  const [text, setText] = useState(userId)
  const [error, setError] = useState<string>()

  // Back and Forward change the user in the URL: the field shows the look-up on screen. A look-up
  // of the field's own text changes nothing here, so what was typed (and its refusal) stays.
  useEffect(() => {
    setText((current) => {
      if (userToAsk(current) === userId) return current
      setError(undefined)
      return userId
    })
  }, [userId])

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
            // Checked here, before it becomes part of an address the server could refuse as too long.
            setError(fieldProblem(USER_ID, text.trim()))
            // A refused ID asks for nobody: the last user's answer would read as the answer to it.
            const next = userToAsk(text)
            if (next !== '' || userId !== '') onSearch(next)
          }}
        >
          <div className='field field-grow'>
            <label className='field-label' htmlFor='user-lookup-id'>User ID</label>
            <input
              id='user-lookup-id'
              className='input'
              value={text}
              onChange={(event) => { setText(event.target.value); setError(undefined) }}
              placeholder='jdoe'
              spellCheck={false}
              autoComplete='off'
              aria-invalid={error === undefined ? undefined : true}
              aria-describedby={error === undefined ? undefined : 'user-lookup-error'}
            />
          </div>
          <button type='submit' className='button button-primary' disabled={text.trim() === ''}>Look up</button>
        </form>
        {error !== undefined && <p id='user-lookup-error' className='field-error' role='alert'>{error}</p>}
      </section>
      {userId !== '' && (
        <div className='grid-2'>
          <UserDevicesCard key={`devices-${userId}`} userId={userId} renderDeviceAction={renderDeviceAction} renderDeviceFacts={renderDeviceFacts} />
          <UserProfilesCard key={`profiles-${userId}`} userId={userId} />
        </div>
      )}
    </>
  )
}

interface UserDevicesCardProps {
  userId: string
  renderDeviceAction: (deviceName: string, cluster: string | undefined) => ReactNode
  renderDeviceFacts?: ((deviceName: string) => ReactNode) | undefined
}

function UserDevicesCard ({ userId, renderDeviceAction, renderDeviceFacts }: UserDevicesCardProps) {
  const scope = useClusterScope()
  const devices = useUserDevices(userId, scope.param)
  const logoutUser = useLogoutUser()
  const canOperate = useHasRole('operator')
  // Each device with its cluster; a server without `located` (older) still lists the names.
  const located = devices.data?.located ?? []
  const list: Array<{ deviceName: string, cluster: string | undefined, mayLag?: string | undefined }> = located.length > 0
    ? located
    : (devices.data?.devices ?? []).map((deviceName) => ({ deviceName, cluster: undefined }))

  return (
    <section className='card' aria-labelledby='user-devices-title'>
      <header className='card-header'>
        <h2 id='user-devices-title'>Logged in on</h2>
        {devices.isFetching && <span className='muted small'>Refreshing…</span>}
      </header>
      {devices.isPending && <p className='muted'>Looking up {userId}…</p>}
      {devices.isError && <ErrorNotice error={devices.error} title={`Could not look up ${userId}`} />}
      <UnavailableClusters unavailable={devices.data?.unavailable} missing={`A device of ${userId}`} />
      {devices.data?.exists === false && (
        <div className='notice notice-warn' role='status'><p className='notice-message'>CUCM has no user <strong>{userId}</strong>.</p></div>
      )}
      {devices.data?.exists === true && list.length === 0 && <p className='empty'>{userId} is not logged in on any device.</p>}
      {list.length > 0 && (
        <>
          <ul className='item-list' aria-label={`Devices ${userId} is logged in on`}>
            {list.map(({ deviceName, cluster, mayLag }) => (
              <li key={`${deviceName}@${cluster ?? ''}`} className='item-row'>
                <span>
                  <span className='mono'>{displayDeviceName(deviceName)}</span>
                  {scope.several && cluster !== undefined && <span className='item-cluster'>{clusterLabel(scope.clusters, cluster)}</span>}
                  {renderDeviceFacts?.(deviceName)}
                  {mayLag !== undefined && <span className='cell-sub small'>{mayLag}</span>}
                </span>
                {renderDeviceAction(displayDeviceName(deviceName), cluster)}
              </li>
            ))}
          </ul>
          {canOperate && (
            <div className='button-row button-row-start'>
              <InlineConfirm
                label='Log out everywhere'
                busy={logoutUser.isPending}
                busyLabel='Logging out…'
                question={`Log ${userId} out of ${list.length === 1 ? 'this device' : `all ${list.length} devices`}?`}
                groupName='Confirm log out everywhere'
                confirmLabel='Confirm'
                onOpen={() => logoutUser.reset()}
                onConfirm={() => logoutUser.mutate({ userId, cluster: scope.param })}
                className='button'
              />
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
              <li key={`${result.deviceName}@${result.cluster}`}>
                <Badge tone={result.outcome === 'success' || result.outcome === 'already-logged-out' ? 'ok' : 'bad'}>
                  {result.outcome === 'success' ? 'Logged out' : result.outcome === 'already-logged-out' ? 'Already logged out' : 'Failed'}
                </Badge>{' '}
                <span className='mono'>{displayDeviceName(result.deviceName)}</span>{' '}
                {scope.several && <span className='small'>on {clusterLabel(scope.clusters, result.cluster)} </span>}
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
  const scope = useClusterScope()
  const profiles = useUserDeviceProfiles(userId, scope.param)
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
            <li key={`${profile.name}@${profile.cluster}`} className='item-row'>
              <span>
                <span className='mono break-anywhere'>{profile.name}</span>
                {scope.several && <span className='item-cluster'>{clusterLabel(scope.clusters, profile.cluster)}</span>}
              </span>
              {profile.isDefault && <Badge tone='info'>Default</Badge>}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
