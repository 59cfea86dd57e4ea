import { USER_ID } from '@em-console/shared/field-rules'
import { USER_HEADER } from '@em-console/shared/rules'
import { unquote, uniqueEntries, withoutHeader, type ParsedNames } from './device-names.ts'

/**
 * Unique user IDs (the first spelling of each, compared without case, as CUCM does) and the
 * entries that cannot be one. Pasted: separated by new lines, tabs, commas or semicolons (a user
 * ID may hold a space), a header line "user", "userid" or "User ID" skipped, quotes taken off.
 * A file's entries: its user column, as readCsvTable finds it.
 */
export function parseUserIds (text: string): ParsedNames {
  return uniqueUserIds(withoutHeader(text, USER_HEADER, true).split(/[\r\n\t,;]+/).map(unquote))
}

export function uniqueUserIds (entries: readonly string[]): ParsedNames {
  // Compared without case, as CUCM compares user IDs; the first spelling kept.
  return uniqueEntries(entries, USER_ID, (entry) => entry.toLowerCase())
}
