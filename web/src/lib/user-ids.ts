import { USER_ID } from '@em-console/shared/field-rules'
import { USER_HEADER } from '@em-console/shared/rules'
import { unquote, uniqueEntries, withoutHeader, type ParsedNames } from './device-names.ts'

/**
 * Unique user IDs (the first spelling of each, compared without case, as CUCM does) and the
 * entries that cannot be one; a header row "user", "userid" or "User ID" skipped, quotes taken
 * off. Pasted: separated by new lines, tabs, commas or semicolons (a user ID may hold a space).
 * A file: the first column of each row, so a directory export with more columns works.
 */
export function parseUserIds (text: string, from: 'paste' | 'file' = 'paste'): ParsedNames {
  const rows = withoutHeader(text, USER_HEADER, from === 'paste')
  const entries = from === 'file'
    ? rows.split(/\r?\n/).map((row) => unquote(row.split(/[,;\t]/)[0] ?? ''))
    : rows.split(/[\r\n\t,;]+/).map(unquote)
  // Compared without case, as CUCM compares user IDs; the first spelling kept.
  return uniqueEntries(entries, USER_ID, (entry) => entry.toLowerCase())
}
