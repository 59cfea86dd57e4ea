import { X509Certificate } from 'node:crypto'
import { existsSync, readFileSync, readlinkSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseEnv } from 'node:util'
import { ACCOUNT_NAME, AXL_USER, AXL_VERSION, CLUSTER_ID, CUCM_HTTPS_PORT, HOST, HOST_FORM, MAX_CONCURRENCY, MIN_PASSWORD_LENGTH, MULTIPLE_LOGINS, PASSWORD, patternOf, reservedClusterId, spelledTimeZone, timeZoneProblem, XML_TEXT_PATTERN } from '@em-console/shared/field-rules'
import { passwordProblem } from './auth/passwords.js'
import { caPemProblem } from './clusters/ca-pem.js'
import { closest } from './did-you-mean.js'
import { trustProxyProblem } from './reverse-proxy.js'
import { scheduleProblem, systemTimeZone } from './schedules/cron.js'

/**
 * Every setting EM Console reads, with its bounds and default; .env-sample documents each one.
 * A plain table, not a schema library: the CLI reads it on every start, and a cron job should not
 * pay for a validator it does not need (issue #14).
 */
type Setting =
  | { type: 'string', default?: string, pattern?: RegExp, minLength?: number, maxLength?: number, help?: string }
  | { type: 'integer', default?: number, min: number, max: number }
  | { type: 'boolean', default: boolean }
  | { type: 'enum', values: readonly string[], default: string }

const hostHelp = (portKey: string): string => `a host name or IP address without a port (${portKey} gives it): letters, digits, dot and dash, colons only in an IPv6 address`
const port = (fallback: number) => ({ type: 'integer', default: fallback, min: 0, max: 65535 }) as const
// A file's path, as written: only a shell reads ~ as a home folder. DATABASE_PATH=~/em-console.db
// made a folder named ~ in the working directory and a new, empty audit trail in it, the log naming
// it ~/em-console.db as if it were in the home folder.
const path = { type: 'string', minLength: 1, pattern: /^(?!~)/, help: 'a path not beginning with ~ (only a shell reads ~ as a home folder): write the folder in full, /home/... or one relative to the working directory' } as const
export const SETTINGS = {
  // HOST's form: a "cucm:8443" passed a colon meant for IPv6, and the start failed on an invalid URL (exit 1, every restart).
  CUCM_HOST: { type: 'string', pattern: HOST_FORM, maxLength: HOST.maxLength, help: hostHelp('CUCM_PORT') },
  // A port of CUCM's: 0 is a port to listen on (any free one), never one to connect to.
  CUCM_PORT: { type: 'integer', default: CUCM_HTTPS_PORT, min: 1, max: 65535 },
  CUCM_APP_USER: { type: 'string', default: '', maxLength: 128 },
  CUCM_APP_PASSWORD: { type: 'string', default: '', maxLength: 256, pattern: new RegExp(XML_TEXT_PATTERN), help: 'up to 256 characters that XML can carry (no control character but tab and line breaks, no U+FFFE or U+FFFF)' },
  CUCM_CA_FILE: path,
  CUCM_TLS_INSECURE: { type: 'boolean', default: false },
  CUCM_TIMEOUT_MS: { type: 'integer', default: 15_000, min: 100, max: 300_000 },
  EMAPI_MAX_CONCURRENCY: { type: 'integer', default: 4, min: MAX_CONCURRENCY.min, max: MAX_CONCURRENCY.max },
  CUCM_MULTIPLE_LOGINS: { type: 'enum', values: MULTIPLE_LOGINS, default: 'not-allowed' },
  // The largest EMAPI answer read; past it the transfer stops with EMAPI_TOO_LARGE.
  EMAPI_MAX_RESPONSE_BYTES: { type: 'integer', default: 4_194_304, min: 65_536, max: 268_435_456 },
  CUCM_CLUSTER_ID: { type: 'string', default: 'default', maxLength: CLUSTER_ID.maxLength, pattern: new RegExp(patternOf(CLUSTER_ID)), help: CLUSTER_ID.allowed },
  // eslint-disable-next-line no-control-regex -- the control characters are what it refuses
  CUCM_CLUSTER_NAME: { type: 'string', maxLength: 64, pattern: /^[^\u0000-\u001f\u007f]+$/, help: 'up to 64 characters without control characters' },
  SECRET_KEY: { type: 'string', minLength: 32, maxLength: 1024 },
  SECRET_KEY_FILE: path,
  HOST: { type: 'string', default: '127.0.0.1', minLength: 1 },
  PORT: port(3000),
  DATABASE_PATH: path,
  LOG_LEVEL: { type: 'enum', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
  SIMULATOR_PORT: port(0),
  ADMIN_USERNAME: { type: 'string', maxLength: ACCOUNT_NAME.maxLength, pattern: new RegExp(patternOf(ACCOUNT_NAME)), help: ACCOUNT_NAME.allowed },
  ADMIN_PASSWORD: { type: 'string', minLength: MIN_PASSWORD_LENGTH, maxLength: PASSWORD.maxLength },
  SESSION_IDLE_MINUTES: { type: 'integer', default: 30, min: 1, max: 1440 },
  SESSION_MAX_HOURS: { type: 'integer', default: 12, min: 1, max: 168 },
  RATE_LIMIT_PER_MINUTE: { type: 'integer', default: 1200, min: 0, max: 1_000_000 },
  SIGN_IN_PER_MINUTE: { type: 'integer', default: 10, min: 1, max: 1000 },
  TLS_CERT_FILE: path,
  TLS_KEY_FILE: path,
  // The reverse proxies whose X-Forwarded-* headers are believed (reverse-proxy.ts); unset = none.
  TRUST_PROXY: { type: 'string', minLength: 1, maxLength: 2000 },
  LOGOUT_ALL_SCHEDULE: { type: 'string', minLength: 1, maxLength: 120 },
  SCHEDULE_TIMEZONE: { type: 'string', minLength: 1, maxLength: 64 },
  NOTIFY_WEBHOOK_URL: { type: 'string', minLength: 1, maxLength: 2000 },
  NOTIFY_WEBHOOK_TIMEOUT_MS: { type: 'integer', default: 5000, min: 100, max: 60_000 },
  // AXL (issue #18): the read-only inventory of phones and sessions; without a user it stays off.
  CUCM_AXL_HOST: { type: 'string', pattern: HOST_FORM, maxLength: HOST.maxLength, help: hostHelp('CUCM_AXL_PORT') },
  // Unset: the cluster's EMAPI port (axlTarget), as for a cluster added from the dashboard.
  CUCM_AXL_PORT: { type: 'integer', min: 1, max: 65535 },
  CUCM_AXL_USER: { type: 'string', minLength: 1, maxLength: AXL_USER.maxLength, pattern: new RegExp(patternOf(AXL_USER)), help: AXL_USER.allowed },
  CUCM_AXL_PASSWORD: { type: 'string', minLength: 1, maxLength: 256 },
  CUCM_AXL_VERSION: { type: 'string', pattern: new RegExp(patternOf(AXL_VERSION)), help: AXL_VERSION.allowed },
  INVENTORY_REFRESH_SECONDS: { type: 'integer', default: 300, min: 0, max: 86_400 },
  SESSION_HISTORY_DAYS: { type: 'integer', default: 400, min: 1, max: 3650 }
} as const satisfies Record<string, Setting>

type Settings = typeof SETTINGS
type ValueOf<S> = S extends { type: 'integer' } ? number
  : S extends { type: 'boolean' } ? boolean
    : S extends { type: 'enum', values: ReadonlyArray<infer V> } ? V
      : string

/** Settings with a default are always there; the others may be unset. */
export type Config =
  { [K in keyof Settings as Settings[K] extends { default: unknown } ? K : never]: ValueOf<Settings[K]> } &
  { [K in keyof Settings as Settings[K] extends { default: unknown } ? never : K]?: ValueOf<Settings[K]> } &
  { DATABASE_PATH: string }

/** Where the audit trail lives unless DATABASE_PATH says otherwise; demo mode keeps its own file. */
const DEFAULT_DATABASE_PATH = './data/em-console.db'
const DEFAULT_DEMO_DATABASE_PATH = './data/em-console-demo.db'

export class ConfigError extends Error {
  readonly key: string
  /** What to do, said after the message wherever a person reads it (the CLI, the server's start). */
  readonly fix: string
  constructor (key: string, message: string, fix = `Fix ${key} in .env or the environment (.env-sample documents every setting).`) {
    super(`Configuration error in ${key}: ${message}`)
    this.name = 'ConfigError'
    this.key = key
    this.fix = fix
  }
}

/**
 * One setting's string as its typed value. Booleans are exactly "true" or "false": a public
 * EMAPI tool once read the string "false" as true (STYLE.md §3). Messages never echo a string
 * setting's value: it may be a password or a token.
 */
function convert (key: string, raw: string, setting: Setting): unknown {
  switch (setting.type) {
    case 'integer': {
      const value = Number(raw.trim())
      if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(key, `expected a whole number from ${setting.min} to ${setting.max}, got "${raw.slice(0, 40)}"`)
      if (value < setting.min || value > setting.max) throw new ConfigError(key, `must be from ${setting.min} to ${setting.max}, got ${value}`)
      return value
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw new ConfigError(key, `expected "true" or "false", got "${raw.slice(0, 40)}"`)
      return raw === 'true'
    case 'enum':
      if (!setting.values.includes(raw)) throw new ConfigError(key, `must be one of ${setting.values.join(', ')}`)
      return raw
    case 'string':
      if (setting.minLength !== undefined && raw.length < setting.minLength) throw new ConfigError(key, `must be at least ${setting.minLength} characters long`)
      if (setting.maxLength !== undefined && raw.length > setting.maxLength) throw new ConfigError(key, `must be at most ${setting.maxLength} characters long`)
      if (setting.pattern !== undefined && !setting.pattern.test(raw)) throw new ConfigError(key, `must be ${setting.help ?? `of the form ${String(setting.pattern)}`}`)
      return raw
  }
}

/** The settings file, read from the working directory. */
export const ENV_FILE = '.env'

/**
 * Reads .env (when present) under the environment, which wins. Empty values count as unset. One
 * that cannot be read (a cron job run by another user than its owner: it is chmod 600) stops
 * everything: without it the command would run on other settings, demo mode at worst.
 */
export function readEnvironment (env: NodeJS.ProcessEnv, envFile = ENV_FILE): Record<string, string> {
  const text = readEnvFile(envFile)
  checkLines(text)
  const fromFile = parseEnv(text)
  checkFileKeys(Object.keys(fromFile))
  checkCutValues(text, fromFile)
  trimUnquoted(text, fromFile)
  const merged: Record<string, string> = {}
  // One source after the other: an empty variable of the environment (a compose file's
  // CUCM_HOST=${CUCM_HOST} with nothing behind it) is unset, so .env's value stands. Spread over
  // .env, it erased CUCM_HOST there and the server started in demo mode.
  for (const source of [fromFile, env]) {
    for (const [key, value] of Object.entries(source)) {
      if (value !== undefined && value !== '') merged[key] = value
    }
  }
  return merged
}

/** A line of .env: its key and what follows the =. `export KEY=value` (a shell habit) is read as KEY=value. */
const ENV_LINE = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*=\s*(.*)$/

/**
 * A line of .env without an = (`CUCM_HOST: cucm1`, a YAML habit, or a space in its place) was
 * joined by .env's reading to the next line's key, and the refusal named a key spanning two lines
 * that nobody wrote. Said by its first word and line number, never its value: it may be a password.
 * The lines of a quoted value of several lines are that value's.
 */
function checkLines (text: string): void {
  let openQuote: string | undefined
  let opened: { key: string, line: number } | undefined
  const seen = new Map<string, { value: string | undefined, line: number }>()
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (openQuote !== undefined) {
      if (line.includes(openQuote)) openQuote = undefined
      continue
    }
    if (/^\s*(#.*)?$/.test(line)) continue
    const value = /^[^=]*=\s*(.*)$/.exec(line)?.[1]
    if (value === undefined) {
      const key = /^\s*([^\s:]{1,64})/.exec(line)?.[1] ?? '.env'
      throw new ConfigError(key, `line ${index + 1} of .env is not of the form KEY=value`, `Write it as ${key}=value in .env (an = between the key and its value, no colon or space in its place).`)
    }
    checkRepeated(seen, line, index + 1)
    const quote = /^['"`]/.exec(value)?.[0]
    if (quote !== undefined && !value.slice(1).includes(quote)) {
      openQuote = quote
      opened = { key: /^\s*(?:export\s+)?([^\s=]{1,64})/.exec(line)?.[1] ?? '.env', line: index + 1 }
    }
  }
  // A quote no line closes is no quote to .env's reading: the value was read with it ('Pa55word
  // read as 'Pa55word), and the lines after it were taken for that value's here, unchecked.
  if (openQuote !== undefined && opened !== undefined) {
    throw new ConfigError(opened.key, `line ${opened.line} of .env opens a ${openQuote} that no line after it closes`,
      `Close the quote at the end of ${opened.key}'s value in .env (a value of several lines ends at its closing quote); a value beginning with a ${openQuote} of its own goes in other quotes.`)
  }
}

/**
 * A key given twice with two values: .env's reading keeps the last, and an admin who wrote a
 * setting at the top of a copied .env-sample had it undone by the sample's line below (CUCM_HOST=
 * left empty there: demo mode, `check` all ok). The same value twice is harmless. Said by key and
 * lines, never the values: one may be a password.
 */
function checkRepeated (seen: Map<string, { value: string | undefined, line: number }>, line: string, lineNumber: number): void {
  const key = ENV_LINE.exec(line)?.[1]
  if (key === undefined) return
  const value = parseEnv(line)[key]?.replace(/^[ \t]+|[ \t]+$/g, '')
  const first = seen.get(key)
  if (first === undefined) seen.set(key, { value, line: lineNumber })
  else if (first.value !== value) {
    const named = key.slice(0, 64)
    throw new ConfigError(named, `given twice in .env with different values (lines ${first.line} and ${lineNumber}): the last would win`,
      `Keep one ${named} line in .env.`)
  }
}

/**
 * Every key of .env is a setting: one that is not is a typo (`CUCM_HSOT`, and the command would run
 * in demo mode, a nightly logout-all sending nothing and exiting 0) or a variable of another
 * program, which .env does not pass on.
 */
function checkFileKeys (keys: readonly string[]): void {
  const unknown = keys.find((key) => !Object.hasOwn(SETTINGS, key))
  if (unknown === undefined) return
  const meant = closest(unknown, Object.keys(SETTINGS))
  throw new ConfigError(unknown.slice(0, 64), `not a setting of EM Console${meant === undefined ? '' : ` (did you mean ${meant}?)`}`,
    'Fix or remove it in .env (.env-sample documents every setting); a variable of another program (TZ, NODE_OPTIONS) goes in the environment, as .env passes none on.')
}

/**
 * An unquoted value is what stands between its = and the end of the line or a comment, without the
 * blanks around it. .env's reading (Node 20) dropped the spaces but kept tabs: `CUCM_APP_PASSWORD=x`
 * with a tab after it, or before its `# comment`, sent CUCM the tab too, a wrong password, where a
 * space was dropped. A quoted value keeps what its quotes hold. The last line of a key is its value's.
 */
function trimUnquoted (text: string, fromFile: Record<string, string | undefined>): void {
  const quoted = new Map<string, boolean>()
  for (const line of text.split(/\r?\n/)) {
    const [, key, value = ''] = ENV_LINE.exec(line) ?? []
    if (key !== undefined) quoted.set(key, /^['"`]/.test(value))
  }
  for (const [key, isQuoted] of quoted) {
    const value = fromFile[key]
    if (!isQuoted && value !== undefined) fromFile[key] = value.replace(/^[ \t]+|[ \t]+$/g, '')
  }
}

/**
 * Settings that hold a password or key. After a space a # begins a comment (`PORT=3000 # the
 * port`), but in a password it is as likely a character of it: `CUCM_APP_PASSWORD=Pa55 #1` was read
 * as Pa55, and CUCM refused every login (an application user locks after so many). Unquoted, a
 * # anywhere in one stops the start.
 */
const SECRETS = new Set(['CUCM_APP_PASSWORD', 'CUCM_AXL_PASSWORD', 'ADMIN_PASSWORD', 'SECRET_KEY'])

/**
 * An unquoted value ends at its first `#`, where .env begins a comment: a password such as
 * `Pa55#word` would be read as `Pa55`, and CUCM refuse it as a wrong password. A `#` right after
 * other characters is surely part of the value, so such a value stops the start (a comment after
 * a space, `PORT=3000 # the port`, is fine). A quoted value ends at its first matching quote and
 * .env drops the rest of the line (`'O'Neil#1'` reads `O`): text after that quote, other than a
 * comment, stops the start too. The message never repeats the value: it may be a password.
 */
function checkCutValues (text: string, fromFile: Record<string, string | undefined>): void {
  const quoting = 'Put the value in single quotes in .env (KEY=\'...\'), in double quotes when it holds a single quote, in backquotes (`...`) when it holds both.'
  for (const line of text.split(/\r?\n/)) {
    const [, key = '', value = ''] = ENV_LINE.exec(line) ?? []
    const named = key.slice(0, 64)
    const quote = /^['"`]/.exec(value)?.[0]
    if (quote !== undefined) {
      const close = value.indexOf(quote, 1)
      // In double quotes .env reads \n as a line break: "C:\new" (double quotes, as said for a
      // value holding a single quote) was sent to CUCM as C:, a line break and ew.
      if (quote === '"' && value.slice(1, close === -1 ? undefined : close).includes('\\n')) {
        throw new ConfigError(named, 'holds \\n in double quotes in .env, which reads it as a line break', `Put the value in single quotes in .env (${named}='...'), in backquotes (\`...\`) when it holds a single quote.`)
      }
      // No closing quote on this line: a value of several lines, read as written.
      if (close === -1 || /^\s*(#.*)?$/.test(value.slice(close + 1))) continue
      throw new ConfigError(named, `ends at its own quote in .env: what follows the second ${quote} on that line was cut off`, quoting.replace('KEY', named))
    }
    if (/[^\s#]#/.test(value) && fromFile[key] !== value.trim()) {
      throw new ConfigError(named, 'holds a # inside its value in .env, where a # begins a comment: what follows it was cut off', quoting.replace('KEY', named))
    }
    if (SECRETS.has(key) && value.includes('#')) {
      throw new ConfigError(named, 'holds a # in .env, where an unquoted # begins a comment: in a password or key it cannot be told from a character of it', quoting.replace('KEY', named))
    }
  }
}

/**
 * .env's text; none when there is no .env. A link to a settings file that is gone counts as one
 * that cannot be read: existsSync follows links and said there was none, and the server and the
 * CLI ran demo mode, the note saying "There is no .env" beside the link.
 */
function readEnvFile (envFile: string): string {
  let bytes: Buffer
  try {
    bytes = readFileSync(envFile)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const path = resolve(envFile)
    const relink = 'Point the link at the settings file, or put the file itself in its place.'
    if (code === 'ENOENT') {
      const target = linkTarget(envFile)
      if (target === undefined) return ''
      throw new ConfigError('.env', `${path} is a link to ${target}, which does not exist`, relink)
    }
    if (code === 'ELOOP') throw new ConfigError('.env', `${path} is a link that leads back to itself (a loop of links)`, relink)
    if (code === 'EISDIR') throw new ConfigError('.env', `${path} is a folder, not a file`, 'Put the settings in a file named .env in this folder (copy .env-sample to .env).')
    throw new ConfigError('.env', `${path} cannot be read (${code ?? String(error)})`,
      'Run EM Console as the user that owns it (the one the service runs as), or let that user read it; keep it private (chmod 600): it holds the CUCM password.')
  }
  return textOfEnvFile(bytes)
}

function linkTarget (path: string): string | undefined {
  try {
    return readlinkSync(path)
  } catch {
    return undefined
  }
}

/**
 * .env's text as Windows Notepad saves it too. Its "Unicode" (UTF-16, with its byte order mark) was
 * read as UTF-8: the refusal named a first line of NULs, the password in it when that line was
 * CUCM_APP_PASSWORD's. Its "ANSI" (Windows-1252) turned a password's ä into U+FFFD, sent to CUCM as
 * a wrong password: refused, naming the line's key, never its value. A UTF-8 byte order mark is no
 * part of the first line: read as one, it made that line's key unknown.
 */
function textOfEnvFile (bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes)
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16le').decode(Buffer.from(bytes.subarray(0, bytes.length - bytes.length % 2)).swap16())
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    const lines = new TextDecoder('utf-8').decode(bytes).split(/\r?\n/)
    const index = lines.findIndex((line) => line.includes('\uFFFD'))
    const key = /^\s*(?:export\s+)?([A-Za-z_][\w.-]{0,63})\s*=/.exec(lines[index] ?? '')?.[1] ?? '.env'
    throw new ConfigError(key, `line ${index + 1} of .env is not UTF-8 text (saved as "ANSI"?): its non-ASCII characters would be read as others`,
      'Save .env as UTF-8 (Notepad: File > Save as, Encoding: UTF-8).')
  }
}

/** Validates every setting once; the first bad one stops the start with a message naming it. */
export function loadConfig (env: Record<string, string | undefined>): Config {
  const config: Record<string, unknown> = {}
  for (const [key, setting] of Object.entries(SETTINGS) as Array<[string, Setting]>) {
    const raw = env[key]
    if (raw !== undefined && raw !== '') config[key] = convert(key, raw, setting)
    else if ('default' in setting && setting.default !== undefined) config[key] = setting.default
  }
  config.DATABASE_PATH ??= config.CUCM_HOST === undefined ? DEFAULT_DEMO_DATABASE_PATH : DEFAULT_DATABASE_PATH
  const valid = config as Config
  if (valid.CUCM_HOST !== undefined && (valid.CUCM_APP_USER === '' || valid.CUCM_APP_PASSWORD === '')) {
    throw new ConfigError(valid.CUCM_APP_USER === '' ? 'CUCM_APP_USER' : 'CUCM_APP_PASSWORD', 'required when CUCM_HOST is set')
  }
  const reserved = reservedClusterId(valid.CUCM_CLUSTER_ID)
  if (reserved !== undefined) throw new ConfigError('CUCM_CLUSTER_ID', reserved)
  checkAxlSettings(valid)
  for (const key of ['CUCM_CA_FILE', 'TLS_CERT_FILE', 'TLS_KEY_FILE'] as const) {
    const file = valid[key]
    if (file !== undefined && !existsSync(file)) throw new ConfigError(key, `no such file: ${file}`)
  }
  // Read as the connections will read it: a file without a certificate fails every TLS handshake.
  const caProblem = valid.CUCM_CA_FILE === undefined ? undefined : caFileProblem(valid.CUCM_CA_FILE)
  if (caProblem !== undefined) throw new ConfigError('CUCM_CA_FILE', `${valid.CUCM_CA_FILE ?? ''}: ${caProblem}`)
  if ((valid.TLS_CERT_FILE === undefined) !== (valid.TLS_KEY_FILE === undefined)) {
    throw new ConfigError(valid.TLS_CERT_FILE === undefined ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE', 'set both TLS_CERT_FILE and TLS_KEY_FILE, or neither')
  }
  const proxyProblem = valid.TRUST_PROXY === undefined ? undefined : trustProxyProblem(valid.TRUST_PROXY)
  if (proxyProblem !== undefined) throw new ConfigError('TRUST_PROXY', proxyProblem)
  if ((valid.ADMIN_USERNAME === undefined) !== (valid.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(valid.ADMIN_USERNAME === undefined ? 'ADMIN_USERNAME' : 'ADMIN_PASSWORD', 'set both ADMIN_USERNAME and ADMIN_PASSWORD, or neither')
  }
  // The first admin's password follows the rule of every account's (checked again when created).
  const adminPasswordProblem = valid.ADMIN_USERNAME === undefined || valid.ADMIN_PASSWORD === undefined ? undefined : passwordProblem(valid.ADMIN_PASSWORD, valid.ADMIN_USERNAME)
  if (adminPasswordProblem !== undefined) throw new ConfigError('ADMIN_PASSWORD', `the password ${adminPasswordProblem}`)
  checkScheduleSettings(valid)
  return valid.SCHEDULE_TIMEZONE === undefined ? valid : { ...valid, SCHEDULE_TIMEZONE: spelledTimeZone(valid.SCHEDULE_TIMEZONE) }
}

/**
 * What is wrong with CUCM_CA_FILE, or undefined. CUCM offers the Tomcat certificate as .PEM and as
 * .DER: the binary one is said so, with its conversion, rather than sending the admin back to CUCM.
 */
function caFileProblem (file: string): string | undefined {
  const problem = caPemProblem(readSetting('CUCM_CA_FILE', file))
  if (problem === undefined) return undefined
  try {
    // eslint-disable-next-line no-new
    new X509Certificate(readFileSync(file))
  } catch {
    return problem
  }
  return `a binary (DER) certificate, while CUCM_CA_FILE takes PEM: convert it with openssl x509 -inform der -in ${file} -out cucm-ca.pem and set CUCM_CA_FILE to that file.`
}

/** The text of the file a setting names; one that cannot be read is that setting's error. */
export function readSetting (key: string, file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigError(key, `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
}

/** AXL is on for the environment's cluster when CUCM_AXL_USER is set; its password must come with it. */
function checkAxlSettings (config: Config): void {
  if (config.CUCM_AXL_USER !== undefined && config.CUCM_AXL_PASSWORD === undefined) throw new ConfigError('CUCM_AXL_PASSWORD', 'required when CUCM_AXL_USER is set')
  if (config.CUCM_AXL_USER === undefined) {
    const stray = (['CUCM_AXL_PASSWORD', 'CUCM_AXL_HOST', 'CUCM_AXL_PORT', 'CUCM_AXL_VERSION'] as const).find((key) => config[key] !== undefined)
    if (stray !== undefined) throw new ConfigError(stray, 'set CUCM_AXL_USER too (AXL is used only with a user)')
  }
}

function checkScheduleSettings (config: Config): void {
  const zoneProblem = config.SCHEDULE_TIMEZONE === undefined ? undefined : timeZoneProblem(config.SCHEDULE_TIMEZONE)
  if (zoneProblem !== undefined) throw new ConfigError('SCHEDULE_TIMEZONE', zoneProblem)
  // The machine's zone is asked only when needed: loading the time zone data costs a command ~8 MB.
  const problem = config.LOGOUT_ALL_SCHEDULE === undefined ? undefined : scheduleProblem(config.LOGOUT_ALL_SCHEDULE, config.SCHEDULE_TIMEZONE ?? systemTimeZone())
  if (problem !== undefined) throw new ConfigError('LOGOUT_ALL_SCHEDULE', problem.message)
  // Not echoed: the URL may carry a token.
  const webhook = config.NOTIFY_WEBHOOK_URL === undefined ? undefined : webhookProblem(config.NOTIFY_WEBHOOK_URL)
  if (webhook !== undefined) throw new ConfigError('NOTIFY_WEBHOOK_URL', webhook)
}

function webhookProblem (text: string): string | undefined {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return 'expected an http:// or https:// URL'
  }
  if (!/^https?:$/.test(url.protocol)) return 'expected an http:// or https:// URL'
  // fetch refuses them, and its error would carry the whole URL, password and all.
  if (url.username !== '' || url.password !== '') return 'a user name or password in the URL (user:password@host) cannot be sent: put a token in the path or query instead'
  return undefined
}
