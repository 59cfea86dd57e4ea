import { parseCsv } from '@em-console/shared/rules'

/**
 * A CSV file's rows with content as the server reads an upload (a quoted field may hold a comma
 * or a line break), less a first row whose first cell `header` matches.
 */
export function csvRows (text: string, header: RegExp, separators?: string): string[][] {
  const rows = parseCsv(text, Number.POSITIVE_INFINITY, separators).map((row) => row.fields)
  if (header.test(rows[0]?.[0]?.trim() ?? '')) rows.shift()
  return rows
}
