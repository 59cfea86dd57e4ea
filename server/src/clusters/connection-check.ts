import { AXL_REFUSALS, AxlError } from '@em-console/shared/axl'
import { answeredTheProbe, EmapiError, isEmapiFailure } from '@em-console/shared/emapi'
import { CUCM_HTTPS_PORT } from '@em-console/shared/field-rules'
import type { CheckName, CheckStep, ClusterSource } from '@em-console/shared/schemas'
import type { EmapiClient } from '../emapi/client.js'
import { emapiAction, isRedirect } from '../emapi/actions.js'
import { TlsError } from '../emapi/tls-errors.js'
import { axlTarget, type ClusterSettings } from './definitions.js'
import { inSettingsWords } from '../setting-words.js'

const CHECK_LABELS: Record<CheckName, string> = {
  configuration: 'Configuration',
  reachable: 'CUCM reachable',
  tls: 'TLS certificate trusted',
  service: 'Extension Mobility service answers',
  credentials: 'Application user accepted',
  'proxy-rights': 'Proxy rights (Standard EM Authentication Proxy Rights)',
  axl: 'AXL answers (inventory)'
}
const ORDER: CheckName[] = ['configuration', 'reachable', 'tls', 'service', 'credentials', 'proxy-rights']

/** Device names that cannot exist on CUCM: probing with them changes nothing. */
const PROBE_DEVICE = 'EMConsoleCheckProbe'
const CREDENTIAL_CODES = new Set([2, 3, 27, 28, 30])

/** ok: every check passed; failed: CUCM answered but refused (credentials, rights); transport: no EMAPI answer. */
export type CheckOutcome = 'ok' | 'failed' | 'transport'

export interface CheckResult {
  steps: CheckStep[]
  outcome: CheckOutcome
}

export interface CheckTarget {
  source: ClusterSource
  settings: Readonly<ClusterSettings>
  /** The client to probe with (the cluster's own, or one built for settings not yet saved). */
  client: Pick<EmapiClient, 'origin' | 'deviceUserQuery' | 'logout'>
  /**
   * Counts the phones over AXL and reads a row of each listing, when the cluster has AXL settings; with the AXL version set and the
   * one that answered (another after CUCM refused the set one with HTTP 599).
   */
  countPhones?: () => Promise<{ phones: number, asked: string, answered: string }>
  /** What the configuration step says was checked, e.g. the CLI's "CUCM host:port, application user …". */
  description: string
}

/** "CUCM_PORT (9443; CUCM's HTTPS port is usually 8443)": the port set, and the usual one when that is another. */
function portSaid (port: number): string {
  return `CUCM_PORT (${port}${port === CUCM_HTTPS_PORT ? '' : `; CUCM's HTTPS port is usually ${CUCM_HTTPS_PORT}`})`
}

function step (name: CheckName, ok: boolean | null, message: string, fix?: string): CheckStep {
  return { name, label: CHECK_LABELS[name], ok, message, ...(fix === undefined ? {} : { fix }) }
}

/** The result so far, with every step not reached marked as skipped. */
function complete (steps: CheckStep[]): CheckStep[] {
  const done = new Set(steps.map((s) => s.name))
  return [...steps, ...ORDER.filter((n) => !done.has(n)).map((name) => step(name, null, 'not checked: an earlier check failed'))]
}

/**
 * Walks the connection one layer at a time with calls that change nothing and are not audited:
 * a device query (reachable, TLS, EMAPI, credentials), then a logout of a device that does not
 * exist, which CUCM refuses with 11 when the proxy rights are there and 10 when they are not;
 * then, when the cluster has AXL settings, a count of its phones (also when CUCM refused the
 * application user: the AXL user is another account). The same checks serve
 * `em-console check` and POST /api/clusters/:id/check.
 */
export async function runChecks (target: CheckTarget): Promise<CheckResult> {
  const { steps, outcome } = await checkSteps(target)
  // Written with the environment's keys; a dashboard cluster's steps name its fields instead.
  return { steps: reworded(steps, (text) => inSettingsWords(text, target.source)), outcome }
}

/** The steps with their message and fix said by `said`. */
export function reworded (steps: readonly CheckStep[], said: (text: string) => string): CheckStep[] {
  return steps.map((s) => ({ ...s, message: said(s.message), ...(s.fix === undefined ? {} : { fix: said(s.fix) }) }))
}

async function checkSteps (target: CheckTarget): Promise<CheckResult> {
  const { client, settings } = target
  const steps: CheckStep[] = [step('configuration', true, `valid (${target.description})`)]
  const origin = client.origin
  const started = performance.now()
  try {
    await client.deviceUserQuery([PROBE_DEVICE])
  } catch (error) {
    if (!(error instanceof EmapiError)) throw error
    // CUCM signed the user in and answered about the device: that it does not exist, or is busy.
    if (answeredTheProbe(error)) return await afterTheQuery(target, steps, started)
    switch (error.code) {
      case 'EMAPI_UNREACHABLE':
      case 'EMAPI_TIMEOUT':
        // Connected and sent, then no answer in time (or the connection dropped): CUCM is reachable
        // and the handshake passed; its service is what did not answer, not the host or the firewall.
        if (error.requestSent !== false) {
          steps.push(step('reachable', true, `connected to ${origin}`))
          steps.push(tlsPassed(target))
          steps.push(step('service', false, error.message, emapiAction(error)))
          return await withAxlElsewhere(target, steps)
        }
        steps.push(step('reachable', false, error.message, `Check CUCM_HOST and ${portSaid(settings.port)}, DNS, and that a firewall lets this machine reach CUCM on that port.`))
        return await withAxlElsewhere(target, steps)
      case 'EMAPI_TLS':
        // Every TLS failure is a TlsError (tlsProblem): its own problem and fix.
        if (!(error instanceof TlsError)) throw error
        steps.push(step('reachable', true, `connected to ${origin}`))
        steps.push(step('tls', false, error.problem, error.action))
        return await withAxlElsewhere(target, steps)
      case 'EMAPI_HTTP_STATUS':
      case 'EMAPI_BAD_XML':
      case 'EMAPI_TOO_LARGE':
        steps.push(step('reachable', true, `connected to ${origin}`))
        steps.push(tlsPassed(target))
        // A redirect comes from something other than the service at CUCM_HOST: its own advice.
        steps.push(step('service', false, error.message, error.code === 'EMAPI_HTTP_STATUS' && isRedirect(error.httpStatus ?? 0) ? emapiAction(error) : 'Check that the Cisco Extension Mobility service is activated and running on this CUCM node (Cisco Unified Serviceability).'))
        return await withAxlElsewhere(target, steps)
      case 'EMAPI_FAILURE': {
        steps.push(step('reachable', true, `connected to ${origin}`))
        steps.push(tlsPassed(target))
        steps.push(step('service', true, 'EMAPI answered'))
        if (!isEmapiFailure(error)) throw error
        if (error.emapiCode === 10) {
          steps.push(step('credentials', true, `${settings.appUser || 'the application user'} signed in`))
          steps.push(step('proxy-rights', false, error.message, error.info.action))
        } else if (CREDENTIAL_CODES.has(error.emapiCode)) {
          steps.push(step('credentials', false, error.message, error.info.action))
        } else {
          steps.push(step('credentials', false, `unexpected answer: ${error.message}`, error.info.action))
        }
        // CUCM answered: its AXL user is another account, worth knowing about in the same check.
        const axl = await axlStep(target)
        return { steps: [...complete(steps), ...(axl === undefined ? [] : [axl.step])], outcome: 'failed' }
      }
    }
  }
  return await afterTheQuery(target, steps, started)
}

/**
 * The result of a check whose EMAPI part got no answer: with AXL's own step when AXL is on another
 * host or port (the publisher, PROTOCOL.md §1 of AXL), which that failure says nothing of. On the
 * same host and port it would only wait for the same failure again.
 */
async function withAxlElsewhere (target: CheckTarget, steps: CheckStep[]): Promise<CheckResult> {
  const { settings } = target
  const axlAt = settings.axl === undefined ? undefined : axlTarget(settings, settings.axl)
  const elsewhere = axlAt !== undefined && (axlAt.host.toLowerCase() !== settings.host.toLowerCase() || axlAt.port !== settings.port)
  const axl = elsewhere ? await axlStep(target) : undefined
  return { steps: [...complete(steps), ...(axl === undefined ? [] : [axl.step])], outcome: 'transport' }
}

/**
 * The TLS step once the handshake went through: verified, or not at all when verification is off
 * (then it is not "ok", whatever else passes: nobody checked who answered).
 */
function tlsPassed (target: CheckTarget): CheckStep {
  if (!target.settings.tlsInsecure) return step('tls', true, 'certificate verified')
  return step('tls', null, `NOT verified: TLS verification is off${target.source === 'environment' ? ' (CUCM_TLS_INSECURE=true)' : ''}`, 'Set CUCM_CA_FILE to the PEM file of CUCM\'s Tomcat certificate (or its CA) and set CUCM_TLS_INSECURE=false: without verification anyone on the network path can read the application password.')
}

/** The checks once the device query was answered: the credentials were accepted; then the proxy rights and AXL. */
async function afterTheQuery (target: CheckTarget, steps: CheckStep[], started: number): Promise<CheckResult> {
  const { client } = target
  const origin = client.origin
  steps.push(step('reachable', true, `connected to ${origin} (${Math.round(performance.now() - started)} ms)`))
  steps.push(tlsPassed(target))
  steps.push(step('service', true, 'EMAPI answered a device query'))
  steps.push(step('credentials', true, 'the application user and password were accepted'))

  let outcome: CheckOutcome = 'ok'
  try {
    await client.logout(PROBE_DEVICE)
    steps.push(step('proxy-rights', true, 'a test logout was accepted'))
  } catch (error) {
    if (isEmapiFailure(error, 10)) {
      steps.push(step('proxy-rights', false, error.message, error.info.action))
      outcome = 'failed'
    } else if (isEmapiFailure(error, 11) || isEmapiFailure(error, 19)) {
      steps.push(step('proxy-rights', true, `a test logout of the non-existent device ${PROBE_DEVICE} was refused only because it does not exist`))
    } else {
      const message = error instanceof Error ? error.message : String(error)
      steps.push(step('proxy-rights', null, `could not be confirmed: the test logout answered ${message}`))
    }
  }
  const axl = await axlStep(target)
  if (axl !== undefined) steps.push(axl.step)
  if (axl?.step.ok === false && outcome === 'ok') outcome = axl.outcome
  return { steps, outcome }
}

/**
 * The AXL step, when the cluster has AXL settings: a count of its phones, then a row of each listing
 * the inventory reads (so a release without one of its columns fails here); failed, as EMAPI's are:
 * CUCM refused (the AXL user, its roles) or gave no AXL answer (unreachable, TLS, timeout).
 */
async function axlStep (target: CheckTarget): Promise<{ step: CheckStep, outcome: CheckOutcome } | undefined> {
  if (target.countPhones === undefined) return undefined
  try {
    const { phones, asked, answered } = await target.countPhones()
    const counted = `AXL answered: ${phones} phone${phones === 1 ? '' : 's'} on the cluster`
    // Each first request of a process is refused once more before the fall-back: worth one setting.
    if (answered === asked) return { step: step('axl', true, counted), outcome: 'ok' }
    return { step: step('axl', true, `${counted}, in AXL version ${answered}: CUCM refused version ${asked} (HTTP 599)`, `Set CUCM_AXL_VERSION to ${answered}, so that EM Console asks in it first.`), outcome: 'ok' }
  } catch (error) {
    if (!(error instanceof AxlError)) throw error
    return { step: step('axl', false, error.message, error.action), outcome: AXL_REFUSALS.has(error.code) ? 'failed' : 'transport' }
  }
}

/** What a cluster's check is about, in one line (no secret). */
export function describeSettings (settings: Readonly<ClusterSettings>): string {
  const ca = settings.caPem === undefined ? 'system CA store' : 'its CA certificate'
  return `CUCM ${settings.host}:${settings.port}, application user ${settings.appUser}, ${ca}${settings.tlsInsecure ? ', TLS verification OFF' : ''}`
}

export interface ClusterCheckOptions {
  source: ClusterSource
  settings: Readonly<ClusterSettings>
  /** The cluster's own client; without one (settings not saved yet, or a disabled cluster) a client is built for the check and closed after. */
  client?: EmapiClient
  description?: string
}

/** Runs the checks on a cluster's settings, with clients of its own where it has none. */
export async function checkCluster (options: ClusterCheckOptions): Promise<CheckResult> {
  const { settings } = options
  const closers: Array<() => Promise<void>> = []
  try {
    let client = options.client
    if (client === undefined) {
      const { createEmapiClient } = await import('../emapi/client.js')
      const own = createEmapiClient({ host: settings.host, port: settings.port, appUser: settings.appUser, appPassword: settings.appPassword, ca: settings.caPem, insecure: settings.tlsInsecure, timeoutMs: settings.timeoutMs })
      closers.push(async () => { await own.close() })
      client = own
    }
    let countPhones: CheckTarget['countPhones']
    const axlSettings = settings.axl
    if (axlSettings !== undefined) {
      countPhones = async () => {
        const { createAxlClient } = await import('../axl/client.js')
        const axl = createAxlClient({ ...axlTarget(settings, axlSettings), user: axlSettings.user, password: axlSettings.password, version: axlSettings.version, ca: settings.caPem, insecure: settings.tlsInsecure, timeoutMs: settings.timeoutMs })
        closers.push(async () => { await axl.close() })
        const asked = axl.version
        const phones = await axl.countPhones()
        await axl.readEveryColumn()
        return { phones, asked, answered: axl.version }
      }
    }
    return await runChecks({ source: options.source, settings, client, countPhones, description: options.description ?? describeSettings(settings) })
  } finally {
    for (const close of closers) await close()
  }
}
