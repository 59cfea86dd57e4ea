import { USER_ID } from '@em-console/shared/field-rules'
import { uniqueEntries, type ParsedNames } from './device-names.ts'

/** A CSV cell as written: `"a ""b"""` → `a "b"`. */
function unquote (cell: string): string {
  const trimmed = cell.trim()
  return /^".*"$/s.test(trimmed) ? trimmed.slice(1, -1).replace(/""/g, '"') : trimmed
}

/**
 * Unique user IDs (the first spelling of each, compared without case, as CUCM does) and the
 * entries that cannot be one. Pasted: separated by new lines, tabs, commas or semicolons (a user
 * ID may hold a space). A file: the first column of each row, a header row "user" or "userid"
 * skipped, so a directory export with more columns works.
 */
export function parseUserIds (text: string, from: 'paste' | 'file' = 'paste'): ParsedNames {
  const entries = from === 'file'
    ? text.split(/\r?\n/).map((row) => unquote(row.split(/[,;\t]/)[0] ?? ''))
    : text.split(/[\r\n\t,;]+/).map((entry) => entry.trim())
  if (from === 'file' && /^user ?(id)?$/i.test(entries.find((entry) => entry !== '') ?? '')) entries.splice(entries.findIndex((entry) => entry !== ''), 1)
  // Compared without case, as CUCM compares user IDs; the first spelling kept.
  return uniqueEntries(entries, USER_ID, (entry) => entry.toLowerCase())
}
