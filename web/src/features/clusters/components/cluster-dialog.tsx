import { useEffect, useId, useRef, useState, type ChangeEvent } from 'react'
import type { Cluster, ClusterCheck, CreateClusterBody, MultipleLogins, UpdateClusterBody } from '@em-console/shared/schemas'
import { passedUnverified, UNVERIFIED_HEADLINE } from '@em-console/shared/display'
import { Badge } from '../../../components/badge.tsx'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { ModalDialog } from '../../../components/modal-dialog.tsx'
import { TextField } from '../../../components/text-field.tsx'
import { ApiError } from '../../../lib/api-client.ts'
import { fileReadProblem } from '../../../lib/file-read.ts'
import { APP_USER, AXL_USER, AXL_VERSION, CA_PEM, CLUSTER_ID, CLUSTER_NAME, fieldProblem, HOST, MAX_CONCURRENCY, MAX_CONCURRENCY_RULE, MULTIPLE_LOGINS, timeZoneProblem } from '@em-console/shared/field-rules'
import { useCheckCluster } from '../api/check-cluster.ts'
import { useCreateCluster, useUpdateCluster } from '../api/save-cluster.ts'

/** CUCM's Multiple Login Behavior as its service parameter's choices read. */
const MULTIPLE_LOGIN_LABELS: Record<MultipleLogins, string> = { 'not-allowed': 'Not allowed (default)', allowed: 'Allowed', 'auto-logout': 'Auto logout' }

/** What the form holds: text as typed. */
interface Form {
  id: string
  name: string
  host: string
  port: string
  appUser: string
  appPassword: string
  caPem: string
  tlsInsecure: boolean
  timeoutMs: string
  maxConcurrency: string
  multipleLogins: MultipleLogins
  timezone: string
  enabled: boolean
  axlHost: string
  axlPort: string
  axlUser: string
  axlPassword: string
  axlVersion: string
}

type Field = keyof Form

const text = (value: string | number | null): string => value === null ? '' : String(value)

function formOf (cluster: Cluster | undefined): Form {
  return {
    id: cluster?.id ?? '',
    name: cluster?.name ?? '',
    host: cluster?.host ?? '',
    port: text(cluster?.port ?? 8443),
    appUser: cluster?.appUser ?? '',
    appPassword: '',
    caPem: cluster?.caPem ?? '',
    tlsInsecure: cluster?.tlsInsecure ?? false,
    timeoutMs: text(cluster?.timeoutMs ?? null),
    maxConcurrency: text(cluster?.maxConcurrency ?? null),
    multipleLogins: cluster?.multipleLogins ?? 'not-allowed',
    timezone: cluster?.timezone ?? '',
    enabled: cluster?.enabled ?? true,
    axlHost: cluster?.axlHost ?? '',
    axlPort: text(cluster?.axlPort ?? null),
    axlUser: cluster?.axlUser ?? '',
    axlPassword: '',
    axlVersion: cluster?.axlVersion ?? ''
  }
}

/** A whole number within bounds, or the words of what is wrong. */
function wholeNumber (label: string, value: string, min: number, max: number): string | undefined {
  if (value.trim() === '') return undefined
  const n = Number(value)
  return Number.isInteger(n) && n >= min && n <= max ? undefined : `${label}: a whole number from ${min} to ${max}.`
}

/** Every problem the form can tell before sending, by field (the server checks them again). */
function problemsOf (form: Form, cluster: Cluster | undefined): Partial<Record<Field, string>> {
  const problems: Partial<Record<Field, string>> = {}
  const creating = cluster === undefined
  if (creating) problems.id = form.id.trim() === '' ? 'Id: needed (letters, digits and dash, e.g. emea).' : fieldProblem(CLUSTER_ID, form.id.trim())
  problems.name = fieldProblem(CLUSTER_NAME, form.name.trim())
  problems.host = form.host.trim() === '' ? 'Host: needed.' : fieldProblem(HOST, form.host.trim())
  problems.port = wholeNumber('Port', form.port, 1, 65535)
  problems.appUser = form.appUser.trim() === '' ? 'Application user: needed.' : fieldProblem(APP_USER, form.appUser.trim())
  if (creating && form.appPassword === '') problems.appPassword = 'Application password: needed.'
  problems.timeoutMs = wholeNumber('Timeout', form.timeoutMs, 100, 300_000)
  problems.maxConcurrency = wholeNumber('Maximum concurrency', form.maxConcurrency, MAX_CONCURRENCY.min, MAX_CONCURRENCY.max)
  problems.axlPort = wholeNumber('AXL port', form.axlPort, 1, 65535)
  problems.axlHost = form.axlHost.trim() === '' ? undefined : fieldProblem(HOST, form.axlHost.trim())
  const zone = form.timezone.trim()
  const zoneProblem = zone === '' ? undefined : timeZoneProblem(zone)
  problems.timezone = zoneProblem === undefined ? undefined : `Time zone: ${zoneProblem}`
  problems.axlVersion = form.axlVersion.trim() === '' ? undefined : fieldProblem(AXL_VERSION, form.axlVersion.trim())
  // Said here, not by the server: a pasted store past 1 MiB was refused as a body too large, naming no field.
  problems.caPem = form.caPem.trim() === '' ? undefined : fieldProblem(CA_PEM, form.caPem.trim())
  const axlUsed = form.axlUser.trim() !== ''
  problems.axlUser = axlUsed ? fieldProblem(AXL_USER, form.axlUser.trim()) : undefined
  if (axlUsed && form.axlPassword === '' && cluster?.axlPasswordSet !== true) problems.axlPassword = 'AXL password: needed with an AXL user.'
  if (cluster !== undefined) {
    // The server sends a saved password only where it was saved for (cluster-service.ts).
    const trust = form.caPem.trim() !== (cluster.caPem ?? '').trim() || form.tlsInsecure !== cluster.tlsInsecure
    if (form.appPassword === '' && (trust || form.host.trim() !== cluster.host || (form.port.trim() !== '' && Number(form.port) !== cluster.port))) {
      problems.appPassword = 'Application password: enter it again to change the host, port, CA certificate or TLS verification.'
    }
    const axlTarget = (host: string, port: string, axlHost: string, axlPort: string): string => `${axlHost.trim() === '' ? host.trim() : axlHost.trim()}:${axlPort.trim() === '' ? Number(port) : Number(axlPort)}`
    const axlMoved = axlTarget(form.host, form.port.trim() === '' ? String(cluster.port) : form.port, form.axlHost, form.axlPort) !== axlTarget(cluster.host, String(cluster.port), cluster.axlHost ?? '', text(cluster.axlPort))
    if (axlUsed && cluster.axlPasswordSet && form.axlPassword === '' && (trust || axlMoved)) {
      problems.axlPassword = 'AXL password: enter it again to change where AXL goes, the CA certificate or TLS verification.'
    }
  }
  if (!axlUsed && (form.axlHost.trim() !== '' || form.axlPort.trim() !== '' || form.axlPassword !== '' || form.axlVersion.trim() !== '')) problems.axlUser = 'AXL user: give it too, or leave the AXL fields empty.'
  return problems
}

/**
 * A certificate file's text as PEM. CUCM's Certificate Management also offers a .DER file (and
 * Windows saves a .cer so): binary, which read as text would fill the field with noise. Its bytes
 * (a DER SEQUENCE starts with 0x30) are written out as PEM; the server reads it as any other.
 */
function pemOf (bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes)
  if (bytes[0] !== 0x30 || text.includes('-----BEGIN')) return text.trim()
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return `-----BEGIN CERTIFICATE-----\n${(btoa(binary).match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----`
}

const optionalNumber = (value: string): number | undefined => value.trim() === '' ? undefined : Number(value)

function createBody (form: Form): CreateClusterBody {
  const axl = form.axlUser.trim() === ''
    ? {}
    : {
        axlUser: form.axlUser.trim(),
        axlPassword: form.axlPassword,
        ...(form.axlHost.trim() === '' ? {} : { axlHost: form.axlHost.trim() }),
        ...(form.axlPort.trim() === '' ? {} : { axlPort: Number(form.axlPort) }),
        ...(form.axlVersion.trim() === '' ? {} : { axlVersion: form.axlVersion.trim() })
      }
  return {
    id: form.id.trim(),
    host: form.host.trim(),
    appUser: form.appUser.trim(),
    appPassword: form.appPassword,
    ...(form.name.trim() === '' ? {} : { name: form.name.trim() }),
    ...(optionalNumber(form.port) === undefined ? {} : { port: Number(form.port) }),
    ...(form.caPem.trim() === '' ? {} : { caPem: form.caPem.trim() }),
    tlsInsecure: form.tlsInsecure,
    ...(optionalNumber(form.timeoutMs) === undefined ? {} : { timeoutMs: Number(form.timeoutMs) }),
    ...(optionalNumber(form.maxConcurrency) === undefined ? {} : { maxConcurrency: Number(form.maxConcurrency) }),
    multipleLogins: form.multipleLogins,
    ...(form.timezone.trim() === '' ? {} : { timezone: form.timezone.trim() }),
    enabled: form.enabled,
    ...axl
  }
}

/** Only what changed; an emptied optional field clears it (null); a password left empty is kept. */
function changesOf (form: Form, cluster: Cluster): UpdateClusterBody {
  const changes: UpdateClusterBody = {}
  const textChange = (value: string, current: string | null): string | null | undefined => {
    const trimmed = value.trim()
    if (trimmed === (current ?? '').trim()) return undefined
    return trimmed === '' ? null : trimmed
  }
  const numberChange = (value: string, current: number | null): number | null | undefined => {
    const next = optionalNumber(value) ?? null
    return next === current ? undefined : next
  }
  if (form.name.trim() !== cluster.name && form.name.trim() !== '') changes.name = form.name.trim()
  if (form.host.trim() !== cluster.host) changes.host = form.host.trim()
  const port = numberChange(form.port, cluster.port)
  if (port !== undefined && port !== null) changes.port = port
  if (form.appUser.trim() !== cluster.appUser) changes.appUser = form.appUser.trim()
  if (form.appPassword !== '') changes.appPassword = form.appPassword
  const caPem = textChange(form.caPem, cluster.caPem)
  if (caPem !== undefined) changes.caPem = caPem
  if (form.tlsInsecure !== cluster.tlsInsecure) changes.tlsInsecure = form.tlsInsecure
  const timeoutMs = numberChange(form.timeoutMs, cluster.timeoutMs)
  if (timeoutMs !== undefined && timeoutMs !== null) changes.timeoutMs = timeoutMs
  const maxConcurrency = numberChange(form.maxConcurrency, cluster.maxConcurrency)
  if (maxConcurrency !== undefined && maxConcurrency !== null) changes.maxConcurrency = maxConcurrency
  if (form.multipleLogins !== cluster.multipleLogins) changes.multipleLogins = form.multipleLogins
  const timezone = textChange(form.timezone, cluster.timezone)
  if (timezone !== undefined) changes.timezone = timezone
  if (form.enabled !== cluster.enabled) changes.enabled = form.enabled
  const axlUser = textChange(form.axlUser, cluster.axlUser)
  if (axlUser !== undefined) changes.axlUser = axlUser
  if (form.axlUser.trim() === '') return changes
  if (form.axlPassword !== '') changes.axlPassword = form.axlPassword
  const axlHost = textChange(form.axlHost, cluster.axlHost)
  if (axlHost !== undefined) changes.axlHost = axlHost
  const axlPort = numberChange(form.axlPort, cluster.axlPort)
  if (axlPort !== undefined) changes.axlPort = axlPort
  const axlVersion = textChange(form.axlVersion, cluster.axlVersion)
  if (axlVersion !== undefined) changes.axlVersion = axlVersion
  return changes
}

interface ClusterDialogProps {
  open: boolean
  /** The cluster to edit; none to add one. */
  cluster?: Cluster
  /** That cluster in words meant for a person (clusterLabel: its name, with its id when another has that name). */
  said?: string
  onClose: () => void
  onSaved: (cluster: Cluster, created: boolean) => void
}

/**
 * Adds or edits a cluster. "Check connection" runs the server's checks on what the form holds,
 * before anything is saved; passwords are write-only (an empty one on edit keeps the saved one).
 */
export function ClusterDialog ({ open, cluster, said, onClose, onSaved }: ClusterDialogProps) {
  const [form, setForm] = useState<Form>(() => formOf(cluster))
  const [touched, setTouched] = useState(false)
  /** Why the certificate file chosen last could not be read. */
  const [unreadFile, setUnreadFile] = useState<string>()
  const create = useCreateCluster()
  const update = useUpdateCluster()
  const check = useCheckCluster()
  const id = useId()
  const creating = cluster === undefined
  const save = creating ? create : update
  const busy = save.isPending || check.isPending
  const formRef = useRef<HTMLFormElement>(null)
  // Add, Save or Check refused for a field: the focus goes to the first field in error, which is
  // shown there (the buttons are at the foot of a long dialog; the errors may be out of sight).
  const [refusals, setRefusals] = useState(0)
  useEffect(() => {
    if (refusals > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }, [refusals])

  const problems = problemsOf(form, cluster)
  const valid = Object.values(problems).every((p) => p === undefined)
  const serverError = save.error ?? check.error
  const serverField = serverError instanceof ApiError ? serverError.field as Field | undefined : undefined
  const errorOf = (field: Field): string | undefined => (touched ? problems[field] : undefined) ?? (serverField === field ? serverError?.message : undefined)

  function set<K extends Field> (field: K, value: Form[K]): void {
    setForm((current) => ({ ...current, [field]: value }))
    // Whatever the server said was about the old values.
    save.reset()
    check.reset()
  }
  const bind = (field: Exclude<Field, 'tlsInsecure' | 'enabled' | 'multipleLogins'>) => ({
    id: `${id}-${field}`,
    value: form[field],
    onChange: (event: ChangeEvent<HTMLInputElement>) => set(field, event.target.value),
    error: errorOf(field)
  })

  function close (): void {
    setForm(formOf(cluster))
    setTouched(false)
    setUnreadFile(undefined)
    save.reset()
    check.reset()
    onClose()
  }

  function runCheck (): void {
    setTouched(true)
    if (!valid) setRefusals((n) => n + 1)
    if (!valid || busy) return
    check.mutate(creating ? { body: createBody(form) } : { id: cluster.id, changes: changesOf(form, cluster) })
  }

  async function readPem (event: ChangeEvent<HTMLInputElement>): Promise<void> {
    const input = event.target
    const file = input.files?.[0]
    if (file === undefined) return
    try {
      set('caPem', pemOf(new Uint8Array(await file.arrayBuffer())))
      setUnreadFile(undefined)
    } catch (error) {
      setUnreadFile(fileReadProblem(error))
    } finally {
      input.value = ''
    }
  }

  return (
    <ModalDialog open={open} title={creating ? 'Add a cluster' : `Edit cluster ${said ?? cluster.id}`} busy={busy} size='wide' onClose={close}>
      <form
        ref={formRef}
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          setTouched(true)
          if (!valid) setRefusals((n) => n + 1)
          if (!valid || busy) return
          const done = (saved: Cluster) => {
            onSaved(saved, creating)
            close()
          }
          if (creating) create.mutate(createBody(form), { onSuccess: done })
          else update.mutate({ id: cluster.id, body: changesOf(form, cluster) }, { onSuccess: done })
        }}
      >
        <div className='form-grid'>
          <TextField {...bind('id')} label='Id' hint='Letters, digits and dash, e.g. emea. It never changes.' disabled={!creating} autoCapitalize='none' spellCheck={false} required data-autofocus={creating ? true : undefined} />
          <TextField {...bind('name')} label='Name' hint='Shown in the dashboard (default: the host, with its port when not 8443).' />
          <TextField {...bind('timezone')} label='Time zone' hint="IANA name, e.g. Europe/Paris (default: the server's)." autoCapitalize='none' spellCheck={false} />
          <TextField {...bind('host')} label='Host' hint='The node running Cisco Extension Mobility, as its certificate names it.' autoCapitalize='none' spellCheck={false} required data-autofocus={creating ? undefined : true} />
          <TextField {...bind('port')} label='Port' inputMode='numeric' hint='HTTPS port, usually 8443.' />
          <TextField {...bind('appUser')} label='Application user' hint='In "Standard EM Authentication Proxy Rights".' autoComplete='off' autoCapitalize='none' spellCheck={false} required />
          <TextField
            {...bind('appPassword')}
            label='Application password'
            type='password'
            autoComplete='new-password'
            hint={creating ? 'Stored encrypted; never shown again.' : 'Saved. Leave empty to keep it (needed again to change the host, port or certificate).'}
            required={creating}
          />
          <TextField {...bind('timeoutMs')} label='Timeout (ms)' inputMode='numeric' hint='Per EMAPI request (default: the server’s).' />
          <TextField {...bind('maxConcurrency')} label='Maximum concurrency' inputMode='numeric' hint={`Logins and logouts in flight on this cluster: ${MAX_CONCURRENCY_RULE}.`} />
          <div className='field'>
            <label className='field-label' htmlFor={`${id}-multipleLogins`}>Multiple Login Behavior</label>
            <select id={`${id}-multipleLogins`} className='input' value={form.multipleLogins} onChange={(event) => set('multipleLogins', event.target.value as MultipleLogins)} aria-describedby={`${id}-multipleLogins-hint`}>
              {MULTIPLE_LOGINS.map((behavior) => <option key={behavior} value={behavior}>{MULTIPLE_LOGIN_LABELS[behavior]}</option>)}
            </select>
            <span id={`${id}-multipleLogins-hint`} className='field-hint'>As set in CUCM's Extension Mobility service (EMAPI cannot read it). Not allowed: a forced login refuses a user logged in elsewhere.</span>
          </div>
          <div className='field field-wide'>
            <label className='field-label' htmlFor={`${id}-caPem`}>CA certificate (PEM)</label>
            <textarea
              id={`${id}-caPem`}
              className='input mono'
              rows={4}
              value={form.caPem}
              onChange={(event) => set('caPem', event.target.value)}
              spellCheck={false}
              placeholder='-----BEGIN CERTIFICATE-----'
              aria-invalid={errorOf('caPem') === undefined ? undefined : true}
              aria-describedby={`${id}-caPem-hint`}
            />
            {errorOf('caPem') !== undefined
              ? <span id={`${id}-caPem-hint`} className='field-error' role='alert'>{errorOf('caPem')}</span>
              : <span id={`${id}-caPem-hint`} className='field-hint'>CUCM's Tomcat certificate or its CA, pasted or uploaded; empty: the system's CAs.</span>}
            <label className='field-label small' htmlFor={`${id}-caFile`}>Upload a certificate file (PEM or DER)</label>
            <input id={`${id}-caFile`} className='input input-file' type='file' accept='.pem,.crt,.cer,.der,text/plain' onChange={(event) => { readPem(event).catch(() => {}) }} aria-invalid={unreadFile === undefined ? undefined : true} aria-describedby={unreadFile === undefined ? undefined : `${id}-caFile-error`} />
            {unreadFile !== undefined && <span id={`${id}-caFile-error`} className='field-error' role='alert'>{unreadFile}</span>}
          </div>
          <label className='choice'>
            <input type='checkbox' checked={form.enabled} onChange={(event) => set('enabled', event.target.checked)} />
            Enabled
          </label>
          <label className='choice'>
            <input type='checkbox' checked={form.tlsInsecure} onChange={(event) => set('tlsInsecure', event.target.checked)} />
            Do not verify the TLS certificate (labs only)
          </label>
        </div>
        {form.tlsInsecure && (
          <div className='notice notice-warn notice-compact' role='status'>
            <p className='notice-message'>Without verification anyone on the network path can read the application password. Give the CA certificate instead.</p>
          </div>
        )}

        <fieldset className='fieldset'>
          <legend className='section-title'>AXL (optional: the phone and session inventory)</legend>
          <div className='form-grid'>
            <TextField {...bind('axlUser')} label='AXL user' hint='Standard AXL API Users + Read Only API Access.' autoComplete='off' autoCapitalize='none' spellCheck={false} />
            <TextField {...bind('axlPassword')} label='AXL password' type='password' autoComplete='new-password' hint={cluster?.axlPasswordSet === true ? 'Saved. Leave empty to keep it.' : 'Stored encrypted.'} />
            <TextField {...bind('axlHost')} label='AXL host' hint='The publisher (default: the host).' autoCapitalize='none' spellCheck={false} />
            <TextField {...bind('axlPort')} label='AXL port' inputMode='numeric' hint='Default: the port above (CUCM serves AXL and EMAPI on the same port, 8443).' />
            <TextField {...bind('axlVersion')} label='AXL version' hint='e.g. 14.0 (default 14.0).' />
          </div>
        </fieldset>

        {check.data !== undefined && <CheckResults check={check.data} />}
        {serverError !== null && serverField === undefined && <ErrorNotice error={serverError} title={save.isError ? 'Could not save the cluster' : 'Could not check the connection'} />}
        <div className='button-row'>
          <button type='button' className='button button-ghost' onClick={close} disabled={busy}>Cancel</button>
          <button type='button' className='button' onClick={runCheck} disabled={busy}>{check.isPending ? 'Checking…' : 'Check connection'}</button>
          <button type='submit' className='button button-primary' disabled={busy}>{save.isPending ? 'Saving…' : creating ? 'Add cluster' : 'Save changes'}</button>
        </div>
      </form>
    </ModalDialog>
  )
}

/** What the connection checks found, step by step, with what to do about a failed one. */
export function CheckResults ({ check }: { check: ClusterCheck }) {
  const unverified = passedUnverified(check.steps)
  return (
    <section className={!check.ok ? 'notice notice-error' : unverified ? 'notice notice-warn' : 'notice notice-success'} role='status' aria-label='Connection check'>
      <p className='notice-title'>{!check.ok ? 'A check failed: see what to do below.' : unverified ? UNVERIFIED_HEADLINE : 'All checks passed.'}</p>
      <ul className='result-list'>
        {check.steps.map((step) => (
          <li key={step.name}>
            {unverified && step.name === 'tls'
              ? <Badge tone='warn'>Not verified</Badge>
              : <Badge tone={step.ok === true ? 'ok' : step.ok === false ? 'bad' : 'neutral'}>{step.ok === true ? 'OK' : step.ok === false ? 'Failed' : 'Skipped'}</Badge>}{' '}
            <strong>{step.label}</strong>: {step.message}
            {step.fix !== undefined && <p className='notice-action'><strong>What to do: </strong>{step.fix}</p>}
          </li>
        ))}
      </ul>
    </section>
  )
}
