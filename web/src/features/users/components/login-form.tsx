import { useId, useState } from 'react'
import type { LoginBody } from '@em-console/shared/schemas'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { TextField } from '../../../components/text-field.tsx'
import { auditHref } from '../../../lib/audit-link.ts'
import { useClusterScope } from '../../../lib/cluster.tsx'
import { displayDeviceName, phoneOfMac } from '../../../lib/device-names.ts'
import { DEVICE_NAME, fieldProblem, USER_ID } from '@em-console/shared/field-rules'
import { LOGIN_MINUTES, loginMinutesProblem } from '@em-console/shared/rules'
import { useDebounced } from '../../../lib/use-debounced.ts'
import { useUserDeviceProfiles } from '../api/get-user-device-profiles.ts'
import { useLoginDevice } from '../api/login-device.ts'

type DurationChoice = 'default' | 'minutes' | 'indefinite'

/**
 * A device on no cluster or on several: the API says to name the cluster "with ?cluster=", this
 * form has a Cluster field for it.
 */
function inFormWords (action: string): string {
  return action.replace(/([Nn])ame the cluster with \?cluster=/g, (_, n: string) => `${n === 'N' ? 'P' : 'p'}ick the cluster in the Cluster field`)
}

interface LoginFormProps {
  initialDevice?: string
  initialUser?: string
  /** The cluster the device was found on (a row's "Log in…"); else the header's picker. */
  initialCluster?: string | undefined
  title?: string
}

/** Logs a user in to a device, with one of the user's device profiles. */
export function LoginForm ({ initialDevice = '', initialUser = '', initialCluster, title = 'Log in a user' }: LoginFormProps) {
  const scope = useClusterScope()
  const [deviceName, setDeviceName] = useState(initialDevice)
  // '' : where the look-up finds the device (the server refuses a name on several clusters).
  const [cluster, setCluster] = useState(initialCluster ?? scope.param ?? '')
  const [userId, setUserId] = useState(initialUser)
  const [profile, setProfile] = useState('')
  const [duration, setDuration] = useState<DurationChoice>('default')
  const [minutes, setMinutes] = useState('480')
  const [force, setForce] = useState(false)
  const login = useLoginDevice()
  const titleId = useId()
  const formId = useId()

  const typedUser = userId.trim()
  // Profiles are looked up only for an ID the API would accept (a too-long one is said above instead).
  const lookupUser = useDebounced(fieldProblem(USER_ID, typedUser) === undefined ? typedUser : '')
  const chosenCluster = scope.several && cluster !== '' ? cluster : undefined
  const profiles = useUserDeviceProfiles(lookupUser, chosenCluster)
  // A user on two clusters may have a profile of the same name on each: offer the name once.
  const profileList = (profiles.data?.profiles ?? []).filter((p, i, all) => all.findIndex((q) => q.name === p.name) === i)
  const minutesValue = Number(minutes)
  const minutesProblem = loginMinutesProblem(minutesValue)
  const minutesValid = minutesProblem === undefined
  // Checked before sending, in the same words as the API's rules (field-rules.ts).
  // A MAC address typed (from the phone's label) means its phone: CUCM names it SEP and the MAC.
  const macPhone = phoneOfMac(deviceName.trim())
  const deviceError = deviceName.trim() === '' || macPhone !== undefined ? undefined : fieldProblem(DEVICE_NAME, deviceName.trim())
  const userError = userId.trim() === '' ? undefined : fieldProblem(USER_ID, userId.trim())
  const canSubmit = deviceName.trim() !== '' && userId.trim() !== '' && deviceError === undefined && userError === undefined &&
    (duration !== 'minutes' || minutesValid) && !login.isPending

  function submit () {
    const body: LoginBody = { userId: userId.trim() }
    if (profile !== '') body.deviceProfile = profile
    if (duration === 'minutes') body.durationMinutes = minutesValue
    if (duration === 'indefinite') body.indefinite = true
    if (force) body.force = true
    login.mutate({ deviceName: macPhone ?? displayDeviceName(deviceName.trim()), cluster: chosenCluster, body })
  }

  return (
    <section className='card' aria-labelledby={titleId}>
      <header className='card-header'>
        <h2 id={titleId}>{title}</h2>
      </header>
      <form
        className='login-form'
        onSubmit={(event) => {
          event.preventDefault()
          if (canSubmit) submit()
        }}
      >
        <div className='form-grid'>
          <TextField
            id={`${formId}-device`}
            label='Device'
            inputClassName='mono'
            name='device'
            value={deviceName}
            onChange={(event) => setDeviceName(event.target.value)}
            placeholder='SEP00AABBCCDDEE'
            spellCheck={false}
            autoComplete='off'
            required
            error={deviceError}
            hint={macPhone === undefined ? undefined : `A MAC address: logs in to ${macPhone} (CUCM names a phone SEP and its MAC address).`}
            hintId={`${formId}-device-error`}
          />
          <TextField
            id={`${formId}-user`}
            label='User ID'
            name='user'
            value={userId}
            onChange={(event) => {
              setUserId(event.target.value)
              setProfile('')
            }}
            placeholder='jdoe'
            spellCheck={false}
            autoComplete='off'
            required
            error={userError}
            hintId={`${formId}-user-error`}
          />
          {scope.several && (
            <div className='field'>
              <label className='field-label' htmlFor={`${formId}-cluster`}>Cluster</label>
              <select id={`${formId}-cluster`} className='input' name='cluster' value={cluster} onChange={(event) => { setCluster(event.target.value); setProfile('') }}>
                <option value=''>Where the device is</option>
                {scope.clusters.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              </select>
            </div>
          )}
          <div className='field'>
            <label className='field-label' htmlFor={`${formId}-profile`}>Device profile</label>
            <select
              id={`${formId}-profile`}
              className='input'
              name='profile'
              value={profile}
              onChange={(event) => setProfile(event.target.value)}
              disabled={profileList.length === 0}
              aria-describedby={`${formId}-profile-hint`}
            >
              <option value=''>The user's default profile</option>
              {profileList.map((p) => <option key={p.name} value={p.name}>{p.name}{p.isDefault ? ' (default)' : ''}</option>)}
            </select>
            <span id={`${formId}-profile-hint`} className='field-hint' aria-live='polite'>
              {lookupUser === '' && 'Enter a user ID to list their profiles.'}
              {lookupUser !== '' && profiles.isFetching && 'Loading profiles…'}
              {profiles.data?.exists === false && `CUCM has no user ${lookupUser}.`}
              {profiles.data?.exists === true && profileList.length === 0 && 'This user has no device profiles.'}
              {profiles.isError && 'Could not load the profiles.'}
            </span>
          </div>
        </div>

        <fieldset className='fieldset'>
          <legend className='field-label'>Automatic logout</legend>
          <div className='radio-row'>
            <label className='choice'>
              <input type='radio' name='duration' checked={duration === 'default'} onChange={() => setDuration('default')} />
              Cluster default
            </label>
            {/* One group, so a narrow screen wraps it whole: never "minutes" alone on a line. */}
            <span className='choice-group'>
              <label className='choice'>
                <input type='radio' name='duration' checked={duration === 'minutes'} onChange={() => setDuration('minutes')} />
                After
              </label>
              <input
                className='input input-narrow'
                type='number'
                min={LOGIN_MINUTES.minimum}
                max={LOGIN_MINUTES.maximum}
                aria-label='Minutes until automatic logout'
                value={minutes}
                onChange={(event) => {
                  setMinutes(event.target.value)
                  setDuration('minutes')
                }}
                aria-invalid={duration === 'minutes' && !minutesValid}
                aria-describedby={duration === 'minutes' && !minutesValid ? `${formId}-minutes-error` : undefined}
              />
              <span className='small muted'>minutes</span>
            </span>
            <label className='choice'>
              <input type='radio' name='duration' checked={duration === 'indefinite'} onChange={() => setDuration('indefinite')} />
              Never (indefinite)
            </label>
          </div>
          {duration === 'minutes' && !minutesValid && <p id={`${formId}-minutes-error`} className='field-error' role='alert'>{minutesProblem}</p>}
        </fieldset>

        <label className='choice'>
          <input type='checkbox' checked={force} onChange={(event) => setForce(event.target.checked)} />
          Force: log out whoever is on the device first
        </label>

        <div className='button-row button-row-start'>
          <button type='submit' className='button button-primary' disabled={!canSubmit}>{login.isPending ? 'Logging in…' : 'Log in'}</button>
        </div>
      </form>
      {login.isSuccess && (
        <div className='notice notice-success' role='status'>
          <p className='notice-title'>Logged in</p>
          <p className='notice-message'>{login.data.message}</p>
          <p className='notice-meta'><a href={auditHref(login.data.auditId)}>View audit record #{login.data.auditId}</a></p>
        </div>
      )}
      {login.isError && <ErrorNotice error={login.error} title='Login failed' actionWords={inFormWords} />}
    </section>
  )
}
