import { USER_ID } from '@em-console/shared/field-rules'
import { USER_HEADER } from '@em-console/shared/rules'
import { csvRows } from './csv-rows.ts'
import { unquote, uniqueEntries, withoutHeader, type ParsedNames } from './device-names.ts'

/** What ends a column of a file of users: a comma, or a semicolon or tab as some spreadsheets save "CSV". */
export const USER_FILE_SEPARATORS = ',;\t'

/**
 * Unique user IDs (the first spelling of each, compared without case, as CUCM does) and the
 * entries that cannot be one; a header row "user", "userid" or "User ID" skipped, quotes taken
 * off. Pasted: separated by new lines, tabs, commas or semicolons (a user ID may hold a space).
 * A file: the first column of each row, so a directory export with more columns works; read as
 * CSV, so a quoted cell keeps its commas and line breaks.
 */
export function parseUserIds (text: string, from: 'paste' | 'file' = 'paste'): ParsedNames {
  const entries = from === 'file'
    ? csvRows(text, USER_HEADER, USER_FILE_SEPARATORS).map((row) => row[0]?.trim() ?? '')
    : withoutHeader(text, USER_HEADER, true).split(/[\r\n\t,;]+/).map(unquote)
  // Compared without case, as CUCM compares user IDs; the first spelling kept.
  return uniqueEntries(entries, USER_ID, (entry) => entry.toLowerCase())
}
