/**
 * Splits CSV text into rows of fields (RFC 4180: quotes, doubled quotes, CRLF or LF), each with
 * its line number. Stops after `maxRows` rows with content: a caller checks for one row too many.
 * A quote never closed takes the rest of the file into one field: that last row says `unclosed`.
 * `separators`: the characters that end a field outside quotes (a comma; a list of users also
 * takes a semicolon or a tab, as spreadsheets of some locales save their "CSV").
 * The one reading of a CSV: the server's of an upload, the dashboard's of a file it counts or reads.
 */
export function parseCsv (text: string, maxRows = Number.POSITIVE_INFINITY, separators = ','): Array<{ line: number, fields: string[], unclosed?: true }> {
  const rows: Array<{ line: number, fields: string[], unclosed?: true }> = []
  let fields: string[] = []
  let field = ''
  let quoted = false
  let line = 1
  let rowLine = 1
  const input = text.replace(/^\uFEFF/, '')
  const endRow = (): void => {
    fields.push(field)
    if (fields.some((f) => f.trim() !== '')) rows.push({ line: rowLine, fields })
    fields = []
    field = ''
  }
  for (let i = 0; i < input.length && rows.length < maxRows; i++) {
    const c = input.charAt(i)
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') { field += '"'; i++ } else if (c === '"') quoted = false
      else {
        if (c === '\n') line++
        field += c
      }
    } else if (c === '"') quoted = true
    else if (separators.includes(c)) { fields.push(field); field = '' } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++
      endRow()
      line++
      rowLine = line
    } else field += c
  }
  if (rows.length < maxRows && (field !== '' || fields.length > 0 || quoted)) {
    const before = rows.length
    endRow()
    // A quote opened on the last line, with nothing after it, is still a row: the one it spoils.
    if (quoted && rows.length === before) rows.push({ line: rowLine, fields: [''] })
    const last = rows.at(-1)
    if (quoted && last !== undefined) last.unclosed = true
  }
  return rows
}
