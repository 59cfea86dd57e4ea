import { displayDeviceName } from '@em-console/shared/display'
import { DEVICE_NAME, shortProblem, type FieldRule } from '@em-console/shared/field-rules'
import { cellOf, DEVICE_HEADER, readCsvTable } from '@em-console/shared/rules'

/** A text that is not a device name, and why, in words. */
export interface InvalidName {
  text: string
  problem: string
}

export interface ParsedNames {
  names: string[]
  invalid: InvalidName[]
  /** Entries that repeat an earlier one (compared without case): asked once. */
  repeated: number
}

export { displayDeviceName }

/**
 * A list's entries once each, the first of those equal under `same` kept: each judged by `rule`,
 * the valid ones as `shown` makes them, the others with what is wrong; and how many repeated one.
 */
export function uniqueEntries (entries: readonly string[], rule: FieldRule, same: (entry: string) => string, shown: (entry: string) => string = (entry) => entry): ParsedNames {
  const seen = new Set<string>()
  const names: string[] = []
  const invalid: InvalidName[] = []
  let repeated = 0
  for (const entry of entries) {
    if (entry === '') continue
    if (seen.has(same(entry))) { repeated++; continue }
    seen.add(same(entry))
    const problem = shortProblem(rule, entry)
    if (problem === undefined) names.push(shown(entry))
    else invalid.push({ text: entry, problem })
  }
  return { names, invalid, repeated }
}

/** A cell as a spreadsheet or CSV writes it: `"a ""b"""` → `a "b"`. */
export function unquote (cell: string): string {
  const trimmed = cell.trim()
  return /^".*"$/s.test(trimmed) ? trimmed.slice(1, -1).replace(/""/g, '"') : trimmed
}

/**
 * Drops a first non-empty line that is a header (`header` matches its first cell), as a copied
 * column or a file has; `alone`: only when that cell is the whole line (a pasted list may begin
 * with a user named "user", followed by others on the same line).
 */
export function withoutHeader (text: string, header: RegExp, alone = false): string {
  const lines = text.split(/\r?\n/)
  const first = lines.findIndex((line) => line.trim() !== '')
  const cells = lines[first]?.split(/[,;\t]/) ?? []
  if (first >= 0 && header.test(unquote(cells[0] ?? '')) && (!alone || cells.length === 1)) lines.splice(first, 1)
  return lines.join('\n')
}

/**
 * Splits pasted text (newlines, commas, semicolons, spaces, tabs) into unique device names, upper
 * case; a column copied from a spreadsheet or a CSV is read as its upload is: its header line
 * ("Device Name", "device") skipped, quotes taken off. Rows copied with their header and other
 * columns (a BAT export's "Description", "DEVICE NAME", …) give their device column alone.
 */
export function parseDeviceNames (text: string): ParsedNames {
  const table = readCsvTable(text, ['device'])
  const entries = 'problem' in table || (table.header?.length ?? 0) < 2
    ? withoutHeader(text, DEVICE_HEADER).split(/[\s,;]+/).map(unquote)
    : table.rows.map((row) => cellOf(table, row.fields, 'device'))
  return uniqueEntries(entries, DEVICE_NAME, displayDeviceName, displayDeviceName)
}

/** True when the text holds anything at all to look up (separators alone do not count). */
export function hasEntries (text: string): boolean {
  return /[^\s,;]/.test(text)
}
