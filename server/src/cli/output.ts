/** The exit codes scripts and the OS scheduler can rely on (docs/operations.md). */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** CUCM answered with an EMAPI error, another logout-all was running, or the user said no. */
  failed: 1,
  /** CUCM could not be reached or did not speak EMAPI: connection, TLS, timeout, HTTP status, bad XML. */
  transport: 2,
  /** EM Console's configuration or the command line is wrong: nothing was sent. */
  config: 3
} as const
export type ExitCode = typeof EXIT[keyof typeof EXIT]

/** The exit code of several results: the worst, unreachable (2) over an EMAPI failure (1) over done. */
export function worstExit (codes: readonly ExitCode[]): ExitCode {
  return codes.reduce<ExitCode>((worst, code) => code === EXIT.transport || worst === EXIT.transport ? EXIT.transport : Math.max(worst, code) as ExitCode, EXIT.ok)
}

/** A command line that cannot be run: nothing was read or sent. */
export class UsageError extends Error {}

/** Parsed options of a command line. */
export type Values = Record<string, string | boolean | string[] | undefined>

export interface Io {
  out: (line: string) => void
  err: (line: string) => void
}

export const processIo: Io = {
  out: (line) => { process.stdout.write(line + '\n') },
  err: (line) => { process.stderr.write(line + '\n') }
}

/** Fixed-width columns for a terminal; the last column is not padded. */
export function table (rows: ReadonlyArray<ReadonlyArray<string>>): string[] {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length) })
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd())
}

/** 2026-11-22T06:43:33.123Z → 2026-11-22 06:43:33Z */
export function shortTime (iso: string | null): string {
  return iso === null ? '-' : iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')
}
