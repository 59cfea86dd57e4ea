/*
 * What each kind of field may hold, in words, and the check that goes with them: one place for
 * every rule. The REST schemas take their limits and patterns from here, the server words its 400s
 * with them (http-errors.ts), and the dashboard checks forms before sending with the same words.
 * No imports with a run-time cost: the dashboard bundles this file.
 */

export interface FieldRule {
  /** The field as people know it. */
  label: string
  /** What it may hold, in words. */
  allowed: string
  maxLength: number
  /** One character it may hold, when only some are allowed (a character class). */
  characters?: RegExp
  /** Its first character, when that is narrower. */
  first?: RegExp
  /** The form of the whole value, when it has one (a version: 14.0). */
  form?: RegExp
  /** Any text XML can carry, tab and line breaks included (a secret sent to CUCM), not only free text. */
  xmlText?: true
}

/** Control characters (no CUCM name or ID holds one). */
const CONTROL = /[\u0000-\u001f\u007f]/ // eslint-disable-line no-control-regex

/**
 * What XML 1.0 cannot carry at all, even as a character reference: the control characters but
 * tab and line breaks, U+FFFE, U+FFFF and half of a surrogate pair. A value holding one could not
 * be sent to CUCM (the document would be refused).
 */
export const NOT_IN_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/ // eslint-disable-line no-control-regex

/** The JSON-schema pattern of a secret that goes into XML (a CUCM password): anything XML can carry. */
export const XML_TEXT_PATTERN = '^(?:[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\ud800-\\udfff\\ufffe\\uffff]|[\\ud800-\\udbff][\\udc00-\\udfff])*$'

/**
 * The JSON-schema pattern of free text: no control character, nothing XML cannot carry, at least
 * one character. Whole surrogate pairs (emoji, rare CJK) are welcome, matched with or without
 * the `u` flag.
 */
const FREE_TEXT_PATTERN = '^(?:[^\\u0000-\\u001f\\u007f\\ud800-\\udfff\\ufffe\\uffff]|[\\ud800-\\udbff][\\udc00-\\udfff])+$'

export const DEVICE_NAME: FieldRule = {
  label: 'Device name',
  allowed: 'letters, digits, dot, dash and underscore; up to 50 characters',
  maxLength: 50,
  characters: /[A-Za-z0-9._-]/
}

/**
 * Whether `timezone` is an IANA time zone this JavaScript engine knows ("Europe/Paris", "UTC"):
 * the server's check and the dashboard's, as typed. An offset ("+02:00") is not one, so daylight
 * saving time is never silently lost.
 */
function isTimeZone (timezone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(timezone)) return false
  try {
    // eslint-disable-next-line no-new
    new Intl.DateTimeFormat('en', { timeZone: timezone })
    return true
  } catch {
    return false
  }
}

/** What is wrong with `timezone` as a time zone, wherever it was given; undefined when it is one. */
export function timeZoneProblem (timezone: string): string | undefined {
  return isTimeZone(timezone) ? undefined : `"${timezone.slice(0, 64)}" is not an IANA time zone (for example Europe/Paris, America/New_York or UTC).`
}

/**
 * Names the time zone database gives today that the engine does not list: it lists the names CLDR
 * keeps (Asia/Calcutta, Europe/Kiev), and accepts these in any case, so without them "asia/kolkata"
 * would be saved as typed. Each is accepted by the engine as it is (field-rules.test.ts).
 */
export const UNLISTED_TIME_ZONES = [
  'UTC', 'Etc/UTC', 'Etc/GMT', 'GMT',
  'Africa/Asmara', 'America/Argentina/Buenos_Aires', 'America/Argentina/Catamarca', 'America/Argentina/Cordoba',
  'America/Argentina/Jujuy', 'America/Argentina/Mendoza', 'America/Atikokan', 'America/Indiana/Indianapolis',
  'America/Kentucky/Louisville', 'America/Nuuk', 'Asia/Ho_Chi_Minh', 'Asia/Kathmandu', 'Asia/Kolkata', 'Asia/Yangon',
  'Atlantic/Faroe', 'Europe/Kyiv', 'Pacific/Chuuk', 'Pacific/Kanton', 'Pacific/Pohnpei'
] as const

/** The time zones this engine lists, and those it does not, by their names in lower case. */
let zonesByLowerCase: ReadonlyMap<string, string> | undefined

/**
 * A time zone as the time zone database spells it ("europe/paris": Europe/Paris, "asia/kolkata":
 * Asia/Kolkata), so what is saved reads as admins know it and one zone is one text. A valid
 * spelling is kept as typed (Asia/Calcutta stays, not turned into Asia/Kolkata or back: the
 * engine's own canonical names are CLDR's older ones); an older alias neither list holds (US/Eastern)
 * keeps the case it was typed in.
 */
export function spelledTimeZone (timezone: string): string {
  zonesByLowerCase ??= new Map([...UNLISTED_TIME_ZONES, ...Intl.supportedValuesOf('timeZone')].map((zone) => [zone.toLowerCase(), zone]))
  return zonesByLowerCase.get(timezone.toLowerCase()) ?? timezone
}

export const USER_ID: FieldRule = {
  label: 'User ID',
  allowed: 'up to 128 characters, without control characters',
  maxLength: 128
}

export const PROFILE_NAME: FieldRule = {
  label: 'Device profile',
  allowed: 'up to 50 characters, without control characters',
  maxLength: 50
}

const NAME_WORDS = 'letters, digits, space, dot, dash and underscore, starting with a letter or digit; up to 64 characters'

export const SCHEDULE_NAME: FieldRule = {
  label: 'Name',
  allowed: NAME_WORDS,
  maxLength: 64,
  characters: /[A-Za-z0-9 ._-]/,
  first: /[A-Za-z0-9]/
}

/** A named device list of Settings. */
export const LIST_NAME: FieldRule = { ...SCHEDULE_NAME, label: 'List name' }
/** Settings: at most this many device lists, and this many entries in one list or exemption list. */
export const MAX_DEVICE_LISTS = 50
export const MAX_LIST_ENTRIES = 5000
/** The most sessions one page of GET /api/sessions (or of its history) holds: the schema's limit and the dashboard's page. */
export const MAX_SESSIONS_PAGE = 500

export const ACCOUNT_NAME: FieldRule = {
  label: 'User name',
  allowed: 'letters, digits, dot, dash, underscore and @; up to 64 characters',
  maxLength: 64,
  characters: /[A-Za-z0-9._@-]/
}

export const PASSWORD: FieldRule = { label: 'Password', allowed: 'up to 256 characters', maxLength: 256 }
/** The server's policy for a new password (auth/passwords.ts): at least this long, and not holding the user name. */
export const MIN_PASSWORD_LENGTH = 12
/** That policy in words, under every field that sets a password. */
export const PASSWORD_POLICY = `At least ${MIN_PASSWORD_LENGTH} characters, and not containing the user name.`

export const CLUSTER_ID: FieldRule = {
  label: 'Id',
  allowed: 'letters, digits and dash, starting with a letter or digit; up to 40 characters',
  maxLength: 40,
  characters: /[A-Za-z0-9-]/,
  first: /[A-Za-z0-9]/
}

/**
 * What `?cluster=` (the CLI's --cluster, a logout-all's, the header's picker) says for every
 * cluster: a cluster with this id, in any case, could not be named alone. `?cluster=all` meant to
 * log out that one cluster logged out every cluster.
 */
export const EVERY_CLUSTER = 'all'

/** Why an id cannot be a cluster's though its characters are allowed, or undefined. */
export function reservedClusterId (id: string): string | undefined {
  return id.toLowerCase() === EVERY_CLUSTER ? `"${id}" names every cluster (?cluster=${EVERY_CLUSTER}, --cluster ${EVERY_CLUSTER}), so it cannot be one cluster's id: choose another` : undefined
}

export const CLUSTER_NAME: FieldRule = { label: 'Name', allowed: 'up to 64 characters, without control characters', maxLength: 64 }

/** A cluster's CA certificate as PEM (lines of text; public): one is about 2,000 characters, the bound holds a chain of several and keeps a pasted file from being a megabyte. */
export const CA_PEM: FieldRule = { label: 'CA certificate', allowed: 'PEM text of up to 65,536 characters: the CA that signed CUCM\'s Tomcat certificate (about 2,000), or a few, not a whole store', maxLength: 65_536, xmlText: true }

/**
 * A cluster's cap of logins and logouts in flight at once (EMAPI_MAX_CONCURRENCY, a cluster's
 * maxConcurrency). CUCM's service parameter "Maximum Concurrent Requests" allows that many and
 * answers busy (code 26) past it: 5 by default, 3 on older releases (PROTOCOL.md §5). An admin may
 * raise CUCM's, hence the range's top.
 */
export const MAX_CONCURRENCY = { min: 1, max: 20, cucmDefault: 5, cucmOlderDefault: 3 } as const

/** The cap's rule in words, wherever it is set: the cluster form, the API document, README and .env-sample. */
export const MAX_CONCURRENCY_RULE = `at most CUCM's "Maximum Concurrent Requests" (${MAX_CONCURRENCY.cucmDefault} by default, ${MAX_CONCURRENCY.cucmOlderDefault} on older releases)`

/** CUCM's HTTPS port, where EMAPI and AXL answer: a cluster's unless it says otherwise. */
export const CUCM_HTTPS_PORT = 8443

/** A whole IPv4 address, each part 0 to 255. */
const IPV4 = '(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)'

const HEX = '[0-9A-Fa-f]{1,4}'
/** The rest of the value holds `min` to `max` colons (a lookahead: the "::" forms' count of groups). */
const colons = (min: number, max: number): string => `(?=(?:[^:]*:){${min},${max}}[^:]*$)`
/**
 * An IPv6 address in each of its forms (RFC 4291 §2.2): eight groups, or fewer around one "::"
 * (seven at most), the last two of them perhaps written as an IPv4 address. Not "1::2::3" or
 * "1:2:3", which no URL takes. Written as few forms, not one per count of groups: that pattern
 * (5,600 characters) cost ~19 ms to compile at its first use, a quarter of a CLI command's time.
 */
const IPV6 = [
  `(?:${HEX}:){7}${HEX}`,
  `(?:${HEX}:){6}${IPV4}`,
  // "::" first, or last: up to seven groups beside it.
  `::(?:${HEX}(?::${HEX}){0,6})?`,
  `(?:${HEX}:){1,7}:`,
  // "::" between groups: as many colons as groups, so seven colons at most.
  `${colons(2, 7)}${HEX}(?::${HEX}){0,5}::${HEX}(?::${HEX}){0,5}`,
  // An IPv4 address last (two groups' worth): five groups at most beside the "::".
  `::(?:${HEX}:){0,5}${IPV4}`,
  `${colons(2, 6)}${HEX}(?::${HEX}){0,4}::(?:${HEX}:){0,4}${IPV4}`
].join('|')

/**
 * A host name (its last label neither all digits nor 0x and hex digits: a URL reads such a name as
 * an IPv4 address, "cucm.lab.0xab" as none), an IPv4 address, or an IPv6 address (the only place
 * for a colon). "cucm.example.org:8443" names a port, which has its own field: no URL could be
 * made of it, and the cluster's client would fail at every start.
 */
export const HOST_FORM = new RegExp(`^(?:${IPV4}|(?!(?:[A-Za-z0-9-]*\\.)*0[Xx][0-9A-Fa-f]*\\.?$)[A-Za-z0-9.-]*[A-Za-z-][A-Za-z0-9-]*\\.?|${IPV6})$`)

export const HOST: FieldRule = {
  label: 'Host',
  allowed: 'a host name or IP address without a port: letters, digits, dot and dash, colons only in an IPv6 address; up to 253 characters',
  maxLength: 253,
  characters: /[A-Za-z0-9.:-]/,
  form: HOST_FORM
}

export const APP_USER: FieldRule = { label: 'Application user', allowed: 'up to 128 characters, without control characters', maxLength: 128 }

/** HTTP Basic authentication ends the user ID at its first colon (AXL PROTOCOL.md §1): CUCM would read another user. */
export const AXL_USER: FieldRule = {
  label: 'AXL user',
  allowed: 'up to 128 characters, without control characters or a colon (HTTP Basic authentication cannot carry one)',
  maxLength: 128,
  characters: /[^\u0000-\u001f\u007f:]/ // eslint-disable-line no-control-regex
}

export const APP_PASSWORD: FieldRule = {
  label: 'Application password',
  allowed: 'up to 256 characters, without control characters other than tab and line breaks',
  maxLength: 256,
  xmlText: true
}

export const AXL_VERSION: FieldRule = {
  label: 'AXL version',
  allowed: 'a release such as 14.0 or 12.5 (one or two digits, a dot and one digit)',
  maxLength: 4,
  form: /^\d{1,2}\.\d$/
}

export const CRON: FieldRule = { label: 'Cron expression', allowed: 'five fields (minute hour day month weekday), up to 120 characters', maxLength: 120 }
export const TIMEZONE: FieldRule = { label: 'Time zone', allowed: 'an IANA name such as Europe/Paris, up to 64 characters', maxLength: 64 }
export const DEVICE_FILTER: FieldRule = { label: 'Device', allowed: 'up to 100 characters', maxLength: 100 }
/** A device name prefix of the inventory's filters (sessions, their history, phones). */
export const INVENTORY_DEVICE_FILTER: FieldRule = { label: 'Device', allowed: 'up to 64 characters', maxLength: 64 }
export const USER_FILTER: FieldRule = { label: 'User', allowed: 'up to 128 characters', maxLength: 128 }
export const SEARCH: FieldRule = { label: 'Search', allowed: 'up to 200 characters', maxLength: 200 }
/** The name of an uploaded CSV file, said in its run's title. */
export const FILE_NAME: FieldRule = { label: 'File name', allowed: 'up to 255 characters, without control characters', maxLength: 255 }

/** What a field may hold, as a form's hint under it says it: "Letters, digits, dot, dash, underscore and @; up to 64 characters". */
export function hintOf (rule: FieldRule): string {
  return rule.allowed.replace(/^./, (c) => c.toUpperCase())
}

/** The JSON-schema pattern of a rule: its form, its characters, or text without control characters (but tab and line breaks in XML text). */
export function patternOf (rule: FieldRule): string {
  if (rule.form !== undefined) return rule.form.source
  if (rule.xmlText === true) return XML_TEXT_PATTERN
  if (rule.characters === undefined) return FREE_TEXT_PATTERN
  return rule.first === undefined ? `^${rule.characters.source}+$` : `^${rule.first.source}${rule.characters.source}*$`
}

/** Spaces other than the plain one and format characters: invisible between quotes. */
const INVISIBLE = /[\p{Z}\p{Cf}]/u

/**
 * A character as a problem quotes it; one nobody can see (a zero-width space or a direction mark
 * pasted from a chat or a web page, a no-break space) by its code point, as quotes around nothing
 * read as no reason at all.
 */
function quotedCharacter (character: string): string {
  if (character === ' ' || !INVISIBLE.test(character)) return `"${character}"`
  return `"U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}" (a character that cannot be seen)`
}

/**
 * What is wrong with `value`, without the field's name: "60 characters, 10 too many", `"<" is not
 * allowed`. An empty value is not judged here: whether a field is required is the form's business.
 */
export function shortProblem (rule: FieldRule, value: string): string | undefined {
  // Characters as people count them (and as the schemas do): one emoji is one.
  const length = [...value].length
  if (length > rule.maxLength) return `${length} characters, ${length - rule.maxLength} too many`
  if (rule.xmlText !== true && CONTROL.test(value)) return 'a control character (such as a tab) is not allowed'
  const notInXml = NOT_IN_XML.exec(value)
  if (notInXml !== null) return `"U+${(notInXml[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}" is not allowed (it cannot be sent to CUCM in XML)`
  // Its first character whole, as the length counts it: an emoji, not half of its surrogate pair.
  const [first] = value
  if (rule.first !== undefined && first !== undefined && !rule.first.test(first)) return `it starts with ${quotedCharacter(first)}`
  if (rule.characters !== undefined) {
    for (const character of value) {
      if (!rule.characters.test(character)) return `${quotedCharacter(character)} is not allowed`
    }
  }
  // Quoted whole: it is no longer than the rule allows.
  if (rule.form !== undefined && value !== '' && !rule.form.test(value)) return `"${value}" is not of that form`
  return undefined
}

/** What is wrong with `value` as a sentence of its own ("This one has 60 characters, 10 too many."); undefined when valid. */
export function problemSentence (rule: FieldRule, value: string): string | undefined {
  const problem = shortProblem(rule, value)
  if (problem === undefined) return undefined
  return /^\d/.test(problem) ? `This one has ${problem}.` : `${problem.replace(/^./, (c) => c.toUpperCase())}.`
}

/** The whole sentence for a field's error, naming the field and what it may hold; undefined when valid. */
export function fieldProblem (rule: FieldRule, value: string): string | undefined {
  const sentence = problemSentence(rule, value)
  return sentence === undefined ? undefined : `${rule.label}: ${rule.allowed}. ${sentence}`
}

/** Where a request carries a field, as the server's validation names it. */
export type RequestPart = 'params' | 'querystring' | 'body' | 'headers'

/**
 * The rule of a field the API checks, by where it is (`params`, `querystring`, `body`) and its
 * path (`name`, `names.3`, `items.0.user`, `deviceLists.1.name`); undefined for fields with no
 * rule in words (numbers, choices, flags). `route`: the route's path (`/api/clusters/:id`), for
 * a field whose rule depends on what it names (a body's `name`).
 */
export function ruleOfApiField (where: string, field: string, route = ''): FieldRule | undefined {
  const parts = field.split('.').filter((part) => !/^\d+$/.test(part))
  const last = parts.at(-1) ?? field
  if (where === 'params') return last === 'name' ? DEVICE_NAME : last === 'userId' ? USER_ID : undefined
  if (where === 'querystring') {
    if (last === 'device' && /^\/api\/(sessions|phones)\b/.test(route)) return INVENTORY_DEVICE_FILTER
    return ({ cron: CRON, timezone: TIMEZONE, device: DEVICE_FILTER, user: USER_FILTER, actor: USER_FILTER, q: SEARCH, list: LIST_NAME, file: FILE_NAME } as Record<string, FieldRule | undefined>)[last]
  }
  if (last === 'name' && parts.includes('deviceLists')) return LIST_NAME
  if (last === 'name' && route.startsWith('/api/clusters')) return CLUSTER_NAME
  if (last === 'caPem') return CA_PEM
  return ({
    name: SCHEDULE_NAME,
    list: LIST_NAME,
    names: DEVICE_NAME,
    devices: DEVICE_NAME,
    device: DEVICE_NAME,
    userId: USER_ID,
    user: USER_ID,
    users: USER_ID,
    deviceProfile: PROFILE_NAME,
    profile: PROFILE_NAME,
    username: ACCOUNT_NAME,
    password: PASSWORD,
    currentPassword: { ...PASSWORD, label: 'Current password' },
    newPassword: { ...PASSWORD, label: 'New password' },
    id: CLUSTER_ID,
    host: HOST,
    axlHost: HOST,
    appUser: APP_USER,
    appPassword: APP_PASSWORD,
    axlUser: AXL_USER,
    axlVersion: AXL_VERSION,
    cron: CRON,
    timezone: TIMEZONE
  } as Record<string, FieldRule | undefined>)[last]
}

/**
 * CUCM's service parameter "Multiple Login Behavior" (PROTOCOL.md §5), which EMAPI cannot read:
 * not-allowed (CUCM's default: a second login is refused, code 25), allowed, or auto-logout (CUCM
 * ends the earlier login). Here for the environment's setting (config.ts) and the cluster schemas.
 */
export const MULTIPLE_LOGINS = ['not-allowed', 'allowed', 'auto-logout'] as const
