import type { DeviceLogoutResult } from '@em-console/shared/schemas'
import type { CoreRuntime } from '../runtime.js'
import type { Caller } from '../services/em-service.js'
import { EXIT, table, type ExitCode, type Io } from './output.js'
import { failureLine, reportOf } from './report.js'

export interface CommandContext {
  runtime: CoreRuntime
  caller: Caller
  json: boolean
  io: Io
}

const printJson = (io: Io, value: unknown): void => io.out(JSON.stringify(value, null, 2))

/**
 * Like the script it replaces: the HTTP status and CUCM's XML answer, then one human line.
 * The exchange is read back from the audit record, which holds exactly what was received.
 */
export async function logoutAll ({ runtime, caller, json, io }: CommandContext): Promise<ExitCode> {
  let result
  try {
    result = await runtime.em.logoutAll(caller)
  } catch (error) {
    const report = reportOf(error)
    if (json) {
      const { exitCode, ...fields } = report
      printJson(io, { command: 'logout-all', ok: false, exitCode, mode: runtime.mode, ...fields })
    } else {
      if (report.httpStatus !== null) io.out(`HTTP ${report.httpStatus}`)
      if (report.responseBody !== null) io.out(report.responseBody.trim())
      io.out(failureLine(report))
    }
    return report.exitCode
  }
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
      httpStatus,
      responseBody
    })
  } else {
    if (httpStatus !== null) io.out(`HTTP ${httpStatus}`)
    if (responseBody !== null) io.out(responseBody.trim())
    io.out(`Success: ${result.message} (audit #${result.auditId})`)
  }
  return EXIT.ok
}

export async function status ({ runtime, caller, json, io }: CommandContext, devices: string[]): Promise<ExitCode> {
  try {
    const found = runtime.facts.of(await runtime.em.deviceStatus(caller, devices))
    if (json) {
      printJson(io, { command: 'status', ok: true, exitCode: EXIT.ok, devices: found })
      return EXIT.ok
    }
    const rows = found.map((d) => d.exists
      ? [d.deviceName, d.currentUser ?? (d.emEnabled === false ? '(nobody: Extension Mobility is disabled on this phone)' : '(nobody)'), d.lastUser ?? '-']
      : [d.deviceName, '(device does not exist)', ''])
    for (const line of table([['DEVICE', 'CURRENT USER', 'LAST USER'], ...rows])) io.out(line)
    return EXIT.ok
  } catch (error) {
    return fail(io, json, 'status', error)
  }
}

export async function logout ({ runtime, caller, json, io }: CommandContext, devices: string[]): Promise<ExitCode> {
  const results = await Promise.all(devices.map(async (deviceName): Promise<DeviceLogoutResult & { exitCode: ExitCode, errorCode?: string }> => {
    try {
      return { deviceName, exitCode: EXIT.ok, ...await runtime.em.logoutDevice(caller, deviceName) }
    } catch (error) {
      const report = reportOf(error)
      return {
        deviceName,
        exitCode: report.exitCode,
        outcome: report.outcome,
        message: failureLine(report).replace(/ \(audit #\d+\)$/, ''),
        auditId: report.auditId ?? 0,
        errorCode: report.errorCode,
        ...(report.emapiCode === null ? {} : { emapiCode: report.emapiCode })
      }
    }
  }))
  // The worst result decides: unreachable (2) over an EMAPI failure (1) over success.
  const exitCode = results.reduce<ExitCode>((worst, r) => (r.exitCode === EXIT.transport || worst === EXIT.transport ? EXIT.transport : Math.max(worst, r.exitCode) as ExitCode), EXIT.ok)
  if (json) {
    printJson(io, { command: 'logout', ok: exitCode === EXIT.ok, exitCode, results: results.map(({ exitCode, ...r }) => r) })
  } else {
    for (const r of results) io.out(`${r.deviceName}: ${r.message} (audit #${r.auditId})`)
  }
  return exitCode
}

export async function user ({ runtime, caller, json, io }: CommandContext, userId: string): Promise<ExitCode> {
  try {
    const devices = await runtime.em.userDevices(caller, userId)
    const profiles = await runtime.em.userProfiles(caller, userId)
    const exists = devices.exists || profiles.exists
    if (json) {
      printJson(io, { command: 'user', ok: true, exitCode: EXIT.ok, userId, exists, devices: devices.devices, profiles: profiles.profiles })
      return EXIT.ok
    }
    if (!exists) {
      io.out(`User ${userId} does not exist on CUCM.`)
      return EXIT.ok
    }
    io.out(`User ${userId}`)
    io.out(`  logged in on:    ${devices.devices.length === 0 ? '(no device)' : devices.devices.join(', ')}`)
    io.out(`  device profiles: ${profiles.profiles.length === 0 ? '(none)' : profiles.profiles.map((p) => p.isDefault ? `${p.name} (default)` : p.name).join(', ')}`)
    return EXIT.ok
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
