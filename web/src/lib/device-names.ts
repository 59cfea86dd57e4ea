import { displayDeviceName, phoneOfMac } from '@em-console/shared/display'
import { DEVICE_NAME, shortProblem, type FieldRule } from '@em-console/shared/field-rules'
import { cellOf, DEVICE_HEADER, readCsvTable } from '@em-console/shared/rules'
import { formatCount } from './format.ts'

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
  /** What was read otherwise than it was typed (a second column left out, a MAC address as its phone), in words. */
  notes?: string[]
}

export { displayDeviceName, phoneOfMac }

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

/** A Cisco phone's name as CUCM makes it: SEP and the MAC address. */
const PHONE_NAME = /^SEP[0-9a-f]{12}$/i

/** A list of examples for a note: the first few, then how many more. */
function examples (items: readonly string[]): string {
  const shown = items.slice(0, 3).join(', ')
  return items.length > 3 ? `${shown} and ${items.length - 3} more` : shown
}

/**
 * Splits pasted text (newlines, commas, semicolons, spaces, tabs) into unique device names, upper
 * case; a column copied from a spreadsheet or a CSV is read as its upload is: its header line
 * ("Device Name", "device") skipped, quotes taken off. Rows copied with their header and other
 * columns (a BAT export's "Description", "DEVICE NAME", …) give their device column alone, and so
 * do rows of tab-separated columns without a header (Excel's "SEP…⇥jdoe"): their first column, as
 * an upload without a header row is read. A MAC address is read as its phone's name. `notes` say both.
 */
export function parseDeviceNames (text: string): ParsedNames {
  const table = readCsvTable(text, ['device'])
  const notes: string[] = []
  let entries: string[]
  if ('problem' in table || (table.header?.length ?? 0) < 2) {
    // Cells copied from a spreadsheet are separated by tabs: rows of two columns or more, every
    // one, are rows of a table, not a list of names on each line.
    const columns = !('problem' in table) && table.header === undefined && table.separator === '\t' && table.rows.length > 0 ? Math.min(...table.rows.map((row) => row.fields.length)) : 1
    // ... unless every other cell is a phone too: a block of phone names copied across columns (a row of them) is read whole.
    const phones = columns >= 2 && !('problem' in table) && table.rows.every((row) => row.fields.slice(1).every((cell) => cell.trim() === '' || PHONE_NAME.test(cell.trim()) || phoneOfMac(cell.trim()) !== undefined))
    if (columns >= 2 && !phones && !('problem' in table)) {
      entries = table.rows.map((row) => unquote(cellOf(table, row.fields, 'device')))
      const left = [...new Set(table.rows.map((row) => row.fields.slice(1).map(unquote).filter((cell) => cell !== '').join(' ')).filter((cell) => cell !== ''))]
      notes.push(`Rows of ${columns} columns separated by tabs, without a header row: device names were read from the first column${left.length > 0 ? `; the rest (${examples(left)}) was left out` : ''}.`)
    } else {
      entries = withoutHeader(text, DEVICE_HEADER).split(/[\s,;]+/).map(unquote)
    }
  } else {
    entries = table.rows.map((row) => cellOf(table, row.fields, 'device'))
  }
  const macs: string[] = []
  entries = entries.map((entry) => {
    const phone = phoneOfMac(entry)
    if (phone === undefined) return entry
    macs.push(`${entry} as ${phone}`)
    return phone
  })
  if (macs.length > 0) notes.push(`${macs.length === 1 ? 'A MAC address was' : `${formatCount(macs.length)} MAC addresses were`} read as phone names (CUCM names a phone SEP and its MAC address): ${examples(macs)}.`)
  const parsed = uniqueEntries(entries, DEVICE_NAME, displayDeviceName, displayDeviceName)
  return notes.length > 0 ? { ...parsed, notes } : parsed
}

/** True when the text holds anything at all to look up (separators alone do not count). */
export function hasEntries (text: string): boolean {
  return /[^\s,;]/.test(text)
}
