import { decodeFile, MAX_CSV_BYTES } from '@em-console/shared/rules'

/** A size in MB, as a file manager shows it: "52.4 MB", "5 MB". */
const megabytes = (bytes: number): string => `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`

/**
 * Why the browser could not read a file the person chose (moved, deleted or no longer readable
 * since it was chosen), in words for under its field. The browser's own reason follows.
 */
export function fileReadProblem (error: unknown): string {
  const reason = error instanceof Error && error.message !== '' ? error.message : 'the browser gave no reason.'
  return `The file could not be read: ${reason}${/[.!?]$/.test(reason) ? '' : '.'} Choose it again, or another.`
}

/** Why a chosen CSV file is too large to read, before reading it (the server refuses it too); undefined when it is not. */
export function csvSizeProblem (file: Blob): string | undefined {
  if (file.size <= MAX_CSV_BYTES) return undefined
  return `The file is ${megabytes(file.size)}: a bulk run reads a CSV file of at most ${megabytes(MAX_CSV_BYTES)} (5,000 rows). Split it into several files.`
}

/** A chosen CSV file's text, decoded as a spreadsheet saved it (UTF-8, or UTF-16 from Excel's "Unicode Text"). */
export async function readCsvFile (file: Blob): Promise<string> {
  return decodeFile(new Uint8Array(await file.arrayBuffer()))
}
