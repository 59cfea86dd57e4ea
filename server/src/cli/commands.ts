import type { ClusterOutcome, DeviceLogoutResult, LogoutAllResult } from '@em-console/shared/schemas'
import type { CoreRuntime } from '../runtime.js'
import type { Caller } from '../services/em-service.js'
import { EXIT, printJson, refused, table, worstExit, type ExitCode, type Io } from './output.js'
import { failureHead, failureLine, reportOf, shownBody, usageOf, type FailureReport } from './report.js'

export interface CommandContext {
  runtime: CoreRuntime
  caller: Caller
  json: boolean
  io: Io
  /** --cluster: one cluster (or "all" for logout-all); undefined: the API's rules without ?cluster=. */
  cluster?: string
}

/**
 * Like the script it replaces: the HTTP status and CUCM's XML answer, then one human line.
 * The exchange is read back from the audit record, which holds exactly what was received.
 */
export async function logoutAll ({ runtime, caller, json, io, cluster }: CommandContext, confirm: () => Promise<ExitCode | undefined>): Promise<ExitCode> {
  let result
  try {
    // Refused as it would be once confirmed (no --cluster among several, a disabled one) before the question.
    runtime.actions.logoutAllTargets(cluster)
    const notConfirmed = await confirm()
    if (notConfirmed !== undefined) return notConfirmed
    result = await runtime.actions.logoutAll(caller, cluster)
  } catch (error) {
    const usage = usageOf(error)
    if (usage !== undefined) return refused(io, json, 'logout-all', usage)
    const report = reportOf(error)
    if (json) {
      const { exitCode, ...fields } = report
      // The cluster its record names, as a success's answer names it (none when nothing was recorded).
      const recorded = report.auditId === null ? undefined : runtime.store.audit.get(report.auditId)
      printJson(io, { command: 'logout-all', ok: false, exitCode, mode: runtime.mode, ...fields, cluster: recorded?.cluster ?? null })
    } else {
      if (report.httpStatus !== null) io.out(`HTTP ${report.httpStatus}`)
      if (report.responseBody !== null) io.out(shownBody(report.responseBody))
      io.out(failureLine(report))
    }
    return report.exitCode
  }
  if (result.clusters.length > 1) return logoutAllOfSeveral({ runtime, json, io }, result)
  const record = runtime.store.audit.get(result.auditId)
  const httpStatus = record?.httpStatus ?? null
  const responseBody = record?.responseBody ?? null
  if (json) {
    printJson(io, {
      command: 'logout-all',
      ok: true,
      exitCode: EXIT.ok,
      mode: runtime.mode,
      outcome: result.outcome,
      message: result.message,
      emapiCode: null,
      errorCode: null,
      action: null,
      auditId: result.auditId,
      cluster: result.clusters[0]?.cluster ?? null,
      httpStatus,
      responseBody
    })
  } else {
    if (httpStatus !== null) io.out(`HTTP ${httpStatus}`)
    if (responseBody !== null) io.out(shownBody(responseBody))
    io.out(`Success: ${result.message} (audit #${result.auditId})`)
  }
  return EXIT.ok
}

/**
 * `--cluster all`: one line per cluster; the exit code of the worst (unreachable or unanswered over
 * an EMAPI failure or another logout-all running, as with one cluster).
 */
function logoutAllOfSeveral ({ runtime, json, io }: Pick<CommandContext, 'runtime' | 'json' | 'io'>, result: LogoutAllResult): ExitCode {
  const exitOf = (part: ClusterOutcome): ExitCode => part.outcome === 'success' || part.outcome === 'already-logged-out'
    ? EXIT.ok
    : part.outcome === 'failure' || part.code === 'LOGOUT_ALL_RUNNING' ? EXIT.failed : EXIT.transport
  const headOf = (part: ClusterOutcome): string => exitOf(part) === EXIT.ok ? 'Success' : failureHead(part.outcome)
  const exitCode = worstExit(result.clusters.map(exitOf))
  if (json) {
    printJson(io, { command: 'logout-all', ok: exitCode === EXIT.ok, exitCode, mode: runtime.mode, outcome: result.outcome, message: result.message, runId: result.runId, clusters: result.clusters })
    return exitCode
  }
  for (const part of result.clusters) {
    const audit = part.auditId === null ? '' : ` (audit #${part.auditId})`
    const action = part.action === undefined ? '' : ` ${part.action}`
    io.out(`${runtime.clusters.said(part.cluster)}: ${headOf(part)}: ${part.message}${action}${audit}`)
  }
  io.out(result.message)
  return exitCode
}

/**
 * The clusters a look-up could not ask, while the others answered: each said once (two lists
 * asked of one silent cluster fail alike), and the exit code they make.
 */
function silentClusters (failures: readonly Error[]): { exitCode: ExitCode, reports: Array<Omit<FailureReport, 'exitCode'>>, lines: string[] } {
  const found = [...new Map(failures.map(reportOf).map((report) => [report.message, report])).values()]
  return { exitCode: worstExit(found.map((r) => r.exitCode)), reports: found.map(({ exitCode: _, ...fields }) => fields), lines: found.map(failureLine) }
}

export async function status ({ runtime, caller, json, io, cluster }: CommandContext, devices: string[]): Promise<ExitCode> {
  try {
    const { devices: found, unavailable } = await runtime.actions.deviceReports(caller, devices, cluster)
    const silent = silentClusters(unavailable)
    const { reports, lines } = silent
    // A device CUCM does not know is an answer a script must not take for "done" (a typo in a cron line).
    const exitCode = worstExit([silent.exitCode, found.some((d) => !d.exists) ? EXIT.failed : EXIT.ok])
    if (json) {
      printJson(io, { command: 'status', ok: exitCode === EXIT.ok, exitCode, devices: found, unavailable: reports })
      return exitCode
    }
    // The cluster column once there is more than one to tell apart.
    const several = runtime.clusters.list().length > 1
    const rows = found.map((d) => [
      ...(several ? [d.cluster ?? '-'] : []),
      ...(d.exists
        ? [d.deviceName, d.currentUser ?? (d.emEnabled === false ? '(nobody: Extension Mobility is disabled on this phone)' : '(nobody)'), d.lastUser ?? '-']
        // On none of the clusters that answered: one that could not be asked may hold it (as the dashboard says it).
        : [d.deviceName, reports.length > 0 ? '(not on the clusters that answered)' : '(device does not exist)', ''])
    ])
    for (const line of table([[...(several ? ['CLUSTER'] : []), 'DEVICE', 'CURRENT USER', 'LAST USER'], ...rows])) io.out(line)
    for (const line of lines) io.err(`${line} A device shown on no cluster may be there.`)
    // CUCM's status can lag a change EM Console just made (PROTOCOL.md §5): said beside the table, which scripts read.
    for (const d of found) if (d.mayLag !== null) io.err(`${d.deviceName}: ${d.mayLag}`)
    return exitCode
  } catch (error) {
    return fail(io, json, 'status', error)
  }
}

export async function logout ({ runtime, caller, json, io, cluster }: CommandContext, devices: string[]): Promise<ExitCode> {
  const settled = await runtime.actions.logoutDevices(caller, devices, cluster)
  const results = devices.map((deviceName, i): Omit<DeviceLogoutResult, 'cluster'> & { cluster?: string, exitCode: ExitCode, errorCode?: string } => {
    const one = settled[i]
    if (one?.status === 'fulfilled') return { deviceName, exitCode: EXIT.ok, ...one.value }
    const report = reportOf(one?.reason)
    return {
      deviceName,
      exitCode: report.exitCode,
      outcome: report.outcome,
      message: failureLine(report).replace(/ \(audit #\d+\)$/, ''),
      auditId: report.auditId ?? 0,
      errorCode: report.errorCode,
      ...(report.emapiCode === null ? {} : { emapiCode: report.emapiCode })
    }
  })
  const exitCode = worstExit(results.map((r) => r.exitCode))
  if (json) {
    printJson(io, { command: 'logout', ok: exitCode === EXIT.ok, exitCode, results: results.map(({ exitCode, ...r }) => r) })
  } else {
    for (const r of results) io.out(`${r.deviceName}${r.cluster === undefined || runtime.clusters.list().length < 2 ? '' : ` on ${runtime.clusters.said(r.cluster)}`}: ${r.message}${r.auditId === 0 ? '' : ` (audit #${r.auditId})`}`)
  }
  return exitCode
}

function settledValue<T> (settled: PromiseSettledResult<T>): T {
  if (settled.status === 'rejected') throw settled.reason
  return settled.value
}

export async function user ({ runtime, caller, json, io, cluster }: CommandContext, userId: string): Promise<ExitCode> {
  try {
    // Together, as the dashboard asks them: one after the other, a cluster that does not answer cost its time limit twice.
    // The devices' failure first, as before, whichever ends first.
    const asked = await Promise.allSettled([runtime.actions.userDevices(caller, userId, cluster), runtime.actions.userProfiles(caller, userId, cluster)])
    const [devices, profiles] = [settledValue(asked[0]), settledValue(asked[1])]
    const several = runtime.clusters.list().length > 1
    const exists = devices.exists || profiles.exists
    const silent = silentClusters([...devices.unavailable, ...profiles.unavailable])
    const { reports, lines } = silent
    // As `status` of a device CUCM does not know: a script must not take an unknown user for one logged in nowhere.
    const exitCode = worstExit([silent.exitCode, exists ? EXIT.ok : EXIT.failed])
    if (json) {
      printJson(io, { command: 'user', ok: exitCode === EXIT.ok, exitCode, userId, exists, devices: devices.devices, located: devices.located, profiles: profiles.profiles, unavailable: reports })
      return exitCode
    }
    for (const line of lines) io.err(`${line} The user may be logged in there too.`)
    // As `status` says it of a device.
    for (const d of devices.located) if (d.mayLag !== undefined) io.err(`${d.deviceName}: ${d.mayLag}`)
    if (!exists) {
      io.out(`User ${userId} does not exist on CUCM.`)
      return exitCode
    }
    io.out(`User ${userId}`)
    const on = (name: string, cluster: string): string => several ? `${name} on ${runtime.clusters.said(cluster)}` : name
    io.out(`  logged in on:    ${devices.located.length === 0 ? (reports.length > 0 ? '(on no device of the clusters that answered)' : '(no device)') : devices.located.map((d) => on(d.deviceName, d.cluster)).join(', ')}`)
    io.out(`  device profiles: ${profiles.profiles.length === 0 ? '(none)' : profiles.profiles.map((p) => on(p.isDefault ? `${p.name} (default)` : p.name, p.cluster)).join(', ')}`)
    return exitCode
  } catch (error) {
    return fail(io, json, 'user', error)
  }
}

function fail (io: Io, json: boolean, command: string, error: unknown): ExitCode {
  const report = reportOf(error)
  if (json) {
    const { exitCode, ...fields } = report
    printJson(io, { command, ok: false, exitCode, ...fields })
  } else {
    io.out(failureLine(report))
  }
  return report.exitCode
}
