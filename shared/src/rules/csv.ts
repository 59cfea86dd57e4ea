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

/**
 * Why a file read as UTF-8 is UTF-16 text (Excel's "Unicode Text"), or undefined: its byte order
 * mark (FF FE or FE FF) reads as two U+FFFD, and each ASCII character comes with a NUL byte, which
 * no list of names holds. Said once for the file: read on, every row was "not a device name".
 */
export function utf16Problem (text: string): string | undefined {
  // A NUL beside every other character, not one stray NUL in a UTF-8 file (that row alone is bad).
  const nuls = text.split('\u0000').length - 1
  if (!text.startsWith('\uFFFD\uFFFD') && (nuls === 0 || nuls * 3 < text.length)) return undefined
  return 'The file is UTF-16 text (as Excel saves "Unicode Text"), not UTF-8: save it as "CSV UTF-8 (Comma delimited)" and upload it again.'
}

/** A header's first cell in a list of devices: "device", or as CUCM's own exports (Bulk Administration) write it, "Device Name". */
export const DEVICE_HEADER = /^(device( ?name)?|name)$/i
/** A header's first cell in a list of users: "user", "userid", "User ID". */
export const USER_HEADER = /^user ?(id)?$/i

/** One CSV record, CRLF-terminated (RFC 4180). */
export function csvLine (values: ReadonlyArray<string | number | null>): string {
  return values.map(csvField).join(',') + '\r\n'
}
