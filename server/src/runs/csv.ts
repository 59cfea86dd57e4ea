import { LoginItemSchema, MAX_RUN_ITEMS, type CsvProblem, type LoginItem, type RunAction } from '@em-console/shared/schemas'
import { cellOf, loginMinutesProblem, readCsvTable, readLoginDuration } from '@em-console/shared/rules'
import { fieldProblem, PROFILE_NAME, USER_ID } from '@em-console/shared/field-rules'
import Value from 'typebox/value'
import { deviceNameProblem } from '@em-console/shared/emapi'
import { phoneOfMac } from '@em-console/shared/display'

const isLoginItem = (value: unknown): boolean => Value.Check(LoginItemSchema, value)

export interface CsvItems {
  devices: string[]
  items: LoginItem[]
  problems: CsvProblem[]
}

/** A CSV refused as a whole, not row by row. */
export class CsvFileError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'CsvFileError'
  }
}

/** A CSV with more rows than a run may have (a header row does not count). */
export class TooManyRowsError extends CsvFileError {
  constructor (readonly limit: number) {
    super(`The CSV has more than ${limit.toLocaleString('en')} rows: a run takes at most ${limit.toLocaleString('en')} devices. Split the file.`)
    this.name = 'TooManyRowsError'
  }
}

/**
 * A byte that is not UTF-8 was decoded as U+FFFD (decodeFile): the file is in another encoding,
 * as Excel's plain "CSV (Comma delimited)" saves in the Windows code page. Any name is valid text
 * with it, so "josé" would be sent to CUCM as "jos\uFFFD" and fail there as an unknown user.
 */
function notUtf8 (field: string, value: string): string | undefined {
  if (!value.includes('\uFFFD')) return undefined
  return `the ${field} "${value.slice(0, 60)}" holds characters that are not UTF-8 (Excel's "CSV (Comma delimited)" saves in the Windows code page): in Excel, save the file as "CSV UTF-8 (Comma delimited)" and upload that`
}

/**
 * Reads a bulk-run CSV: a device per row for logout, device,user,profile,duration for login; or,
 * under a header row, the columns it names ("DEVICE NAME", "User ID", as CUCM's exports write
 * them), in any order among others. A MAC address is read as its phone's name, as a pasted list
 * and the CLI read it. Bad rows are reported by line, not run.
 */
export function readRunCsv (text: string, action: RunAction, maxRows = MAX_RUN_ITEMS): CsvItems {
  // Reading stops one row past the limit (and one for a header): a huge file costs no more than that.
  const table = readCsvTable(text, action === 'logout' ? ['device'] : ['device', 'user', 'profile', 'duration'], maxRows + 2)
  if ('problem' in table) throw new CsvFileError(table.problem)
  const { rows } = table
  if (rows.length > maxRows) throw new TooManyRowsError(maxRows)
  const result: CsvItems = { devices: [], items: [], problems: [] }
  for (const { line, fields, unclosed } of rows) {
    if (unclosed === true) {
      result.problems.push({ line, message: 'a quote (") opened on this line is never closed, so the rest of the file would be one value: close it' })
      continue
    }
    const [cell, user, profile, duration] = (['device', 'user', 'profile', 'duration'] as const).map((column) => cellOf(table, fields, column)) as [string, string, string, string]
    const device = phoneOfMac(cell) ?? cell
    const problem = deviceNameProblem(device)
    if (problem !== undefined) {
      result.problems.push({ line, message: problem })
      continue
    }
    if (action === 'logout') {
      result.devices.push(device)
      continue
    }
    const lasting = readLoginDuration(duration)
    if (lasting === undefined) {
      result.problems.push({ line, message: `duration "${duration.slice(0, 20)}" is not a whole number of minutes, nor "indefinite" (no automatic logout); leave it empty for the cluster's default` })
      continue
    }
    const item: LoginItem = { device, user, ...(profile === '' ? {} : { profile }), ...lasting }
    // Each field in the words of its rule, as the API and the dashboard's forms say it.
    const wrong = user === ''
      ? 'the user is missing'
      : notUtf8('user', user) ?? (profile === '' ? undefined : notUtf8('profile', profile)) ?? fieldProblem(USER_ID, user) ?? (profile === '' ? undefined : fieldProblem(PROFILE_NAME, profile)) ?? (item.durationMinutes === undefined ? undefined : loginMinutesProblem(item.durationMinutes))
    if (wrong !== undefined) result.problems.push({ line, message: wrong })
    else if (!isLoginItem(item)) result.problems.push({ line, message: 'the user, profile or duration is not valid' })
    else result.items.push(item)
  }
  if (rows.length === 0) result.problems.push({ line: 1, message: 'the file has no rows' })
  return result
}
