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

/** `--role` given to a `user` command other than `user add` (a look-up too: "add" left out). */
export const ROLE_WITHOUT_ADD = '--role goes with "user add" and is viewer, operator or admin'

/** Parsed options of a command line. */
export type Values = Record<string, string | boolean | string[] | undefined>

export interface Io {
  out: (line: string) => void
  err: (line: string) => void
}

/** With --json, a command's one object on stdout: `command`, `ok` and `exitCode` first, then its own fields. */
export function printJson (io: Io, value: { command: string | null, ok: boolean, exitCode: ExitCode } & Record<string, unknown>): void {
  io.out(JSON.stringify(value, null, 2))
}

/**
 * A command refused before anything was sent or changed: in words on stderr, or with --json as
 * every command's one object on stdout (`ok` false, the exit code, why), for scripts that read it.
 * `command` is null when none was recognised.
 */
export function refused (io: Io, json: boolean, command: string | null, why: { exitCode: ExitCode, errorCode: string, message: string, hint?: string }): ExitCode {
  if (json) printJson(io, { command, ok: false, exitCode: why.exitCode, errorCode: why.errorCode, message: why.message })
  else io.err(`em-console${command === null ? '' : ` ${command}`}: ${why.message}${why.hint === undefined ? '' : `\n${why.hint}`}`)
  return why.exitCode
}

/** The commands that change something on CUCM: their refusals say that nothing was sent (a read-only command's would puzzle). */
const CHANGING_COMMANDS: ReadonlySet<string> = new Set(['logout-all', 'logout'])

/** `--cluster` naming no cluster: a mistake in the command line (3), said alike by every command, naming the clusters there are. */
export function unknownCluster (io: Io, json: boolean, command: string, named: string, known: readonly string[]): ExitCode {
  const notSent = CHANGING_COMMANDS.has(command) ? ' Nothing was sent.' : ''
  return refused(io, json, command, { exitCode: EXIT.config, errorCode: 'UNKNOWN_CLUSTER', message: `--cluster: there is no cluster "${named}" (clusters: ${known.join(', ')}).${notSent}`, hint: 'Run "em-console clusters" to list them.' })
}

/**
 * The safety catch of a command that logs out many: a person types "yes" at the terminal, a
 * script passes --yes. Without a terminal there is nobody to ask: refused (3), as a mistake in the
 * command line. Undefined when it may go on, else the exit code of the refusal.
 */
export async function confirmed ({ io, stdin, json, yes }: { io: Io, stdin: NodeJS.ReadStream, json: boolean, yes: boolean }, command: string, words: { withoutTerminal: string, question: string }): Promise<ExitCode | undefined> {
  if (yes) return undefined
  if (stdin.isTTY !== true) {
    return refused(io, json, command, { exitCode: EXIT.config, errorCode: 'NOT_CONFIRMED', message: `${words.withoutTerminal}: stdin is not a terminal, so there is nobody to confirm. Add --yes to run it from a script or the OS scheduler.` })
  }
  // The question on stderr: stdout stays the command's (its JSON object).
  const answer = await askTerminal(stdin, process.stderr, `${words.question} Type "yes" to continue: `)
  if (answer.trim().toLowerCase() === 'yes') return undefined
  return refused(io, json, command, { exitCode: EXIT.failed, errorCode: 'NOT_CONFIRMED', message: 'Cancelled: nothing was sent.' })
}

/**
 * One line typed at the terminal, `question` written to `output`. On a terminal readline reads
 * Ctrl-C as a key, so no SIGINT comes: it ends the command as that signal would (nothing sent or
 * changed, the terminal given back as it was), not with readline's stack trace; Ctrl-D answers
 * nothing.
 */
export async function askTerminal (stdin: NodeJS.ReadStream, output: NodeJS.WritableStream, question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises')
  const prompt = createInterface({ input: stdin, output, terminal: true })
  const interrupted = new AbortController()
  prompt.once('SIGINT', () => { interrupted.abort() })
  let answer = ''
  try {
    answer = await prompt.question(question, { signal: interrupted.signal })
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ABORT_ERR') throw error
  } finally {
    prompt.close()
  }
  // A command's own stop (main.ts, once it has opened what it closes) hears it now, to end by it
  // once closed: the signal sent to itself would come later, if at all (its handler gone by then).
  if (interrupted.signal.aborted) {
    if (process.listenerCount('SIGINT') > 0) process.emit('SIGINT', 'SIGINT')
    else process.kill(process.pid, 'SIGINT')
  }
  return answer
}

/**
 * What a terminal acts on instead of drawing: ESC (a colour, a cursor move, a cleared screen), C1's
 * CSI, a carriage return that rewrites the line. Text from CUCM may hold them (EMAPI percent-encodes
 * a user ID, so it carries any character; LDAP may have given it one), and an audit record keeps
 * them as they came. Line breaks stay (CR LF too: CUCM's answers), tabs too (its indented XML).
 */
const ACTS_ON_TERMINAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/g // eslint-disable-line no-control-regex
/** In a table's cell, where a line break or a tab would break the columns, every control character. */
const CONTROL_IN_CELL = /[\u0000-\u001f\u007f-\u009f]/g // eslint-disable-line no-control-regex

/** A control character written as JSON writes it (\u001b): seen, not acted on; in JSON's strings, read back as itself. */
function visibly (text: string, controls: RegExp): string {
  return text.replace(controls, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** The command's lines as a terminal may be given them (main.ts writes every line through it). */
export function terminalIo (io: Io): Io {
  return { out: (line) => { io.out(visibly(line, ACTS_ON_TERMINAL)) }, err: (line) => { io.err(visibly(line, ACTS_ON_TERMINAL)) } }
}

export const processIo: Io = {
  out: (line) => { process.stdout.write(line + '\n') },
  err: (line) => { process.stderr.write(line + '\n') }
}

/**
 * Characters a terminal draws two columns wide: East Asian wide and full-width forms, and emoji
 * drawn as emoji wherever Unicode puts them (🚀, ⏰, ✅ lie outside the blocks of faces and
 * symbols). Not a flag's two letters, which draw two columns together.
 */
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]|(?![\u{1f1e6}-\u{1f1ff}])\p{Emoji_Presentation}/u
/** Characters drawn on the one before them (accents typed apart, joiners): no column of their own. */
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200b-\u200f]/u

/** How many terminal columns `text` takes ("東京" two each, "é" typed as e and its accent one). */
export function displayWidth (text: string): number {
  let width = 0
  for (const char of text) width += ZERO_WIDTH.test(char) ? 0 : WIDE.test(char) ? 2 : 1
  return width
}

/** Fixed-width columns for a terminal, by the columns each cell takes; the last column is not padded. */
export function table (given: ReadonlyArray<ReadonlyArray<string>>): string[] {
  // Made visible before they are measured, so a row holding one keeps its columns.
  const rows = given.map((row) => row.map((cell) => visibly(cell, CONTROL_IN_CELL)))
  const cellWidths = rows.map((row) => row.map(displayWidth))
  const widths: number[] = []
  for (const row of cellWidths) row.forEach((width, i) => { widths[i] = Math.max(widths[i] ?? 0, width) })
  return rows.map((row, r) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - (cellWidths[r]?.[i] ?? 0)))).join('  ').trimEnd())
}

/** 2026-11-22T06:43:33.123Z → 2026-11-22 06:43:33Z */
export function shortTime (iso: string | null): string {
  return iso === null ? '-' : iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')
}
