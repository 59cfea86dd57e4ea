/**
 * CSV cells for the exports a person opens in a spreadsheet. User IDs, device names and CUCM's
 * messages come from outside, so a cell that a spreadsheet would run as a formula is defused with
 * a leading apostrophe (OWASP "CSV Injection"): one starting with = + - @, tab or carriage return,
 * once leading blanks are skipped (" =1+1" is still a formula), and the full-width forms
 * ＝ ＋ － ＠ that some spreadsheets read as their ASCII twins.
 */
const FORMULA_START = /^[\s\u200B-\u200D\u2060]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r]/

export function csvField (value: string | number | null): string {
  if (value === null) return ''
  // Whole numbers through toFixed(0), not String(): V8 keeps every String(number) in its
  // number-to-string cache, a GC root, so the million ids of an export would survive each
  // scavenge into the old generation and wait there for a full collection an export does not
  // trigger (RSS +20 MB per million rows, a straight line: bench:audit). Same digits.
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value)
  const safe = FORMULA_START.test(value) ? `'${value}` : value
  // A semicolon too: a spreadsheet set to split on semicolons (many European locales) would make
  // "x;=1+2" two cells, the second a formula.
  return /[",;\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** A header's cell naming a column of devices: "device", "phone", or as CUCM's own exports (Bulk Administration, "Find and List Phones") write it, "DEVICE NAME", "Device Name". */
export const DEVICE_HEADER = /^(device|phone)( ?name)?$|^name$/i
/** A header's cell naming a column of users: "user", "userid", "User ID", "USER ID". */
export const USER_HEADER = /^user ?(id)?$/i

/** One CSV record, CRLF-terminated (RFC 4180). */
export function csvLine (values: ReadonlyArray<string | number | null>): string {
  return values.map(csvField).join(',') + '\r\n'
}
