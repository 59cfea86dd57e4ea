import { EmapiError, isEmapiFailure } from '@em-console/shared/emapi'
import type { Config } from '../config.js'
import type { CoreRuntime } from '../runtime.js'
import { EXIT, type ExitCode, type Io } from './output.js'

export type CheckName = 'configuration' | 'reachable' | 'tls' | 'service' | 'credentials' | 'proxy-rights'

export interface CheckStep {
  name: CheckName
  /** null: not checked (an earlier step failed) or could not be told. */
  ok: boolean | null
  message: string
  fix?: string
}

const LABELS: Record<CheckName, string> = {
  configuration: 'configuration',
  reachable: 'CUCM reachable',
  tls: 'TLS certificate trusted',
  service: 'Extension Mobility service answers',
  credentials: 'application user accepted',
  'proxy-rights': 'proxy rights (Standard EM Authentication Proxy Rights)'
}
const ORDER: CheckName[] = ['configuration', 'reachable', 'tls', 'service', 'credentials', 'proxy-rights']

/** Device names that cannot exist on CUCM: probing with them changes nothing. */
const PROBE_DEVICE = 'EMConsoleCheckProbe'
const CREDENTIAL_CODES = new Set([2, 3, 27, 28, 30])

/** The result so far, with every step not reached marked as skipped. */
function complete (steps: CheckStep[]): CheckStep[] {
  const done = new Set(steps.map((s) => s.name))
  return [...steps, ...ORDER.filter((n) => !done.has(n)).map((name): CheckStep => ({ name, ok: null, message: 'not checked: an earlier check failed' }))]
}

export function describeTarget (config: Config): string {
  if (config.CUCM_HOST === undefined) return 'demo mode: no CUCM_HOST, so the built-in CUCM simulator is checked'
  const ca = config.CUCM_CA_FILE === undefined ? 'system CA store' : `CA file ${config.CUCM_CA_FILE}`
  return `CUCM ${config.CUCM_HOST}:${config.CUCM_PORT}, application user ${config.CUCM_APP_USER}, ${ca}${config.CUCM_TLS_INSECURE ? ', TLS verification OFF' : ''}`
}

/**
 * Walks the connection one layer at a time with calls that change nothing and are not audited:
 * a device query (reachable, TLS, EMAPI, credentials), then a logout of a device that does not
 * exist, which CUCM refuses with 11 when the proxy rights are there and 10 when they are not.
 */
export async function runChecks (runtime: CoreRuntime): Promise<{ steps: CheckStep[], exitCode: ExitCode }> {
  const steps: CheckStep[] = [{ name: 'configuration', ok: true, message: `valid (${describeTarget(runtime.config)})` }]
  const origin = runtime.client.origin
  const started = performance.now()
  try {
    await runtime.client.deviceUserQuery([PROBE_DEVICE])
  } catch (error) {
    if (!(error instanceof EmapiError)) throw error
    switch (error.code) {
      case 'EMAPI_UNREACHABLE':
      case 'EMAPI_TIMEOUT':
        steps.push({ name: 'reachable', ok: false, message: error.message, fix: 'Check CUCM_HOST and CUCM_PORT (8443), DNS, and that a firewall lets this machine reach CUCM on TCP 8443.' })
        return { steps: complete(steps), exitCode: EXIT.transport }
      case 'EMAPI_TLS':
        steps.push({ name: 'reachable', ok: true, message: `connected to ${origin}` })
        steps.push({ name: 'tls', ok: false, message: error.message, fix: 'Set CUCM_CA_FILE to the PEM file of the CUCM Tomcat certificate or of its CA.' })
        return { steps: complete(steps), exitCode: EXIT.transport }
      case 'EMAPI_HTTP_STATUS':
      case 'EMAPI_BAD_XML':
      case 'EMAPI_TOO_LARGE':
        steps.push({ name: 'reachable', ok: true, message: `connected to ${origin}` })
        steps.push({ name: 'tls', ok: true, message: 'certificate verified' })
        steps.push({ name: 'service', ok: false, message: error.message, fix: 'Check that the Cisco Extension Mobility service is activated and running on this CUCM node (Cisco Unified Serviceability).' })
        return { steps: complete(steps), exitCode: EXIT.transport }
      case 'EMAPI_FAILURE': {
        steps.push({ name: 'reachable', ok: true, message: `connected to ${origin}` })
        steps.push({ name: 'tls', ok: true, message: 'certificate verified' })
        steps.push({ name: 'service', ok: true, message: 'EMAPI answered' })
        if (!isEmapiFailure(error)) throw error
        if (error.emapiCode === 10) {
          steps.push({ name: 'credentials', ok: true, message: `${runtime.config.CUCM_APP_USER || 'the application user'} signed in` })
          steps.push({ name: 'proxy-rights', ok: false, message: error.message, fix: error.info.action })
        } else if (CREDENTIAL_CODES.has(error.emapiCode)) {
          steps.push({ name: 'credentials', ok: false, message: error.message, fix: error.info.action })
        } else {
          steps.push({ name: 'credentials', ok: false, message: `unexpected answer: ${error.message}`, fix: error.info.action })
        }
        return { steps: complete(steps), exitCode: EXIT.failed }
      }
    }
  }
  steps.push({ name: 'reachable', ok: true, message: `connected to ${origin} (${Math.round(performance.now() - started)} ms)` })
  steps.push({ name: 'tls', ok: true, message: runtime.config.CUCM_TLS_INSECURE ? 'NOT verified: CUCM_TLS_INSECURE=true' : 'certificate verified' })
  steps.push({ name: 'service', ok: true, message: 'EMAPI answered a device query' })
  steps.push({ name: 'credentials', ok: true, message: 'the application user and password were accepted' })

  try {
    await runtime.client.logout(PROBE_DEVICE)
    steps.push({ name: 'proxy-rights', ok: true, message: 'a test logout was accepted' })
  } catch (error) {
    if (isEmapiFailure(error, 10)) {
      steps.push({ name: 'proxy-rights', ok: false, message: error.message, fix: error.info.action })
      return { steps, exitCode: EXIT.failed }
    }
    if (isEmapiFailure(error, 11) || isEmapiFailure(error, 19)) {
      steps.push({ name: 'proxy-rights', ok: true, message: `a test logout of the non-existent device ${PROBE_DEVICE} was refused only because it does not exist` })
    } else {
      const message = error instanceof Error ? error.message : String(error)
      steps.push({ name: 'proxy-rights', ok: null, message: `could not be confirmed: the test logout answered ${message}` })
    }
  }
  return { steps, exitCode: EXIT.ok }
}

export function printChecks (io: Io, steps: CheckStep[]): void {
  for (const step of steps) {
    const mark = step.ok === true ? '[ok]  ' : step.ok === false ? '[FAIL]' : '[skip]'
    io.out(`${mark} ${LABELS[step.name]}: ${step.message}`)
    if (step.fix !== undefined) io.out(`       fix: ${step.fix}`)
  }
  const failed = steps.filter((s) => s.ok === false).length
  io.out(failed === 0 ? 'All checks passed.' : 'Fix the failed check and run "em-console check" again.')
}
