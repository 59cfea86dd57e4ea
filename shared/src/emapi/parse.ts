import { XMLParser } from 'fast-xml-parser'
import { decodeUserId } from './escape.js'
import { EmapiError, EmapiFailureError } from './errors.js'
import { DEVICE_NAME_RULE, USER_ID_RULE } from './names.js'
import type { DeviceProfile, DeviceUserStatus, UserDeviceProfiles, UserDevices } from './types.js'
import { holdsMoreTagsThan, notWellFormed } from '../xml/well-formed.js'

/** Elements that may repeat; everything else is read as a single value. */
const ALWAYS_ARRAYS = new Set(['device', 'user', 'deviceName', 'deviceProfile', 'userID'])

const MAX_DEPTH = 32
/** A DTD can declare entities: external ones read files or URLs, nested ones expand without bound. */
const DOCTYPE = /<!(?:DOCTYPE|ENTITY)/i
/**
 * An EMAPI tag is a name and an attribute or two (`<device name="SEP…">`): one of thousands of
 * characters is no answer of CUCM's, and 300,000 attributes held the event loop for seconds
 * while they were parsed, well under the size cap.
 */
const MAX_TAG = 4096
const LONG_TAG = new RegExp(`<[^<>]{${MAX_TAG}}`)
/**
 * The most tags (every `<`) an EMAPI answer may hold. A look-up asks for 50 names at most, whose
 * answer holds hundreds (50 users of 100 profiles each: 30,000). A million empty elements fit
 * under the 4 MiB size cap and held the event loop for five seconds while they were parsed (and
 * EMAPI_MAX_RESPONSE_BYTES may be raised to 256 MiB): they are counted first, which costs little.
 */
const MAX_TAGS = 50_000

/**
 * An HTML page where the answer should be: Tomcat's, a proxy's or a portal's, sometimes with
 * HTTP 200 (PROTOCOL.md §1). Said as one, with its title, not by the markup it breaks.
 */
const HTML_PAGE = /^(?:<\?xml[^>]*>\s*)?(?:<!doctype\s+html|<html[\s>])/i
const PAGE_TITLE = /<title[^>]*>([^<]*)<\/title>/i
/** A page's title is quoted up to this many characters: a proxy's or a broken server's can run to megabytes. */
const TITLE_SHOWN = 100

/**
 * The <title> of an HTML page (Tomcat's error page, a proxy's), on one line and cut to a readable
 * length, as an error message quotes it; '' when it has none.
 */
export function pageTitle (body: string): string {
  const title = PAGE_TITLE.exec(body)?.[1]?.replace(/\s+/g, ' ').trim() ?? ''
  return title.length > TITLE_SHOWN ? `${title.slice(0, TITLE_SHOWN)}…` : title
}

function htmlPage (text: string): string {
  const title = pageTitle(text.slice(0, MAX_TAG * 4))
  return `it is an HTML page${title === '' ? '' : ` ("${title}")`}, not an EMAPI answer`
}

// Names are never coerced: a device named 0012 must stay "0012" (STYLE.md §6).
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  // htmlEntities would decode numeric references too, but makes every parse four times slower;
  // decodeNumericReferences() does that part before parsing.
  htmlEntities: false,
  // EMAPI answers are five elements deep at most (response/deviceProfileResults/user/deviceProfile/
  // deviceProfileName); past this bound the parser stops instead of recursing through the document.
  maxNestedTags: MAX_DEPTH,
  isArray: (name) => ALWAYS_ARRAYS.has(name)
})

const NUMERIC_REFERENCE = /&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));/g
/** The five characters that markup reads: their references stay references, in named form. */
const MARKUP_REFERENCES: Record<number, string> = { 38: '&amp;', 60: '&lt;', 62: '&gt;', 34: '&quot;', 39: '&apos;' }

function isXmlChar (code: number): boolean {
  return code === 0x9 || code === 0xA || code === 0xD || (code >= 0x20 && code <= 0xD7FF) ||
    (code >= 0xE000 && code <= 0xFFFD) || (code >= 0x10000 && code <= 0x10FFFF)
}

/** `&#233;` and `&#xE9;` become é; a reference to a character XML forbids is left as it is. */
function decodeNumericReferences (xml: string): string {
  if (!xml.includes('&#')) return xml
  return xml.replace(NUMERIC_REFERENCE, (reference, hex: string | undefined, decimal: string | undefined) => {
    const code = hex === undefined ? Number(decimal) : Number.parseInt(hex, 16)
    return MARKUP_REFERENCES[code] ?? (isXmlChar(code) ? String.fromCodePoint(code) : reference)
  })
}

type XmlNode = Record<string, unknown>

function isNode (value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function textOf (value: unknown): string {
  if (typeof value === 'string') return value
  if (isNode(value) && typeof value['#text'] === 'string') return value['#text']
  return ''
}

function badXml (reason: string, body: string): EmapiError {
  // A parser's reason may quote the document (a list of 50,000 open tags): it is cut, the body is kept.
  const short = reason.length > 200 ? `${reason.slice(0, 200)}…` : reason
  return new EmapiError('EMAPI_BAD_XML', `CUCM answered with a document EM Console cannot read: ${short}`, { responseBody: body })
}

/** Validates and parses; whatever the parser throws becomes EMAPI_BAD_XML, with the answer kept. */
function parseXml (body: string): unknown {
  // Whitespace or a byte-order mark may come before the prologue (PROTOCOL.md §1: "any whitespace").
  const text = body.trimStart()
  if (text === '') throw badXml('the body is empty', body)
  if (HTML_PAGE.test(text)) throw badXml(htmlPage(text), body)
  // Refused before parsing: an EMAPI answer is a plain document, never one with a DTD or entities.
  if (DOCTYPE.test(text)) throw badXml('it declares a DOCTYPE or an ENTITY, which an EMAPI answer never does', body)
  if (LONG_TAG.test(text)) throw badXml(`a tag is longer than ${MAX_TAG} characters, which an EMAPI answer never has`, body)
  if (holdsMoreTagsThan(text, MAX_TAGS)) throw badXml(`it holds more than ${MAX_TAGS.toLocaleString('en-US')} tags, which an EMAPI answer never does`, body)
  try {
    const fault = notWellFormed(text)
    if (fault !== undefined) throw badXml(`${fault.reason} (line ${fault.line})`, body)
    return parser.parse(decodeNumericReferences(text))
  } catch (error) {
    if (error instanceof EmapiError) throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw badXml(/nested/i.test(reason) ? `elements are nested more than ${MAX_DEPTH} deep` : reason, body)
  }
}

/**
 * Parses an EMAPI answer and returns the children of its <response> root. A <failure> answer
 * throws EmapiFailureError, in either form (PROTOCOL.md §3): <error code="N"> or <errorMessage>.
 */
function parseResponse (body: string): XmlNode {
  const doc = parseXml(body)
  const response = isNode(doc) ? doc.response : undefined
  if (response === undefined) throw badXml('the root element is not <response>', body)
  const node: XmlNode = isNode(response) ? response : {}
  if ('failure' in node) throw failureFrom(node.failure, body)
  return node
}

function failureFrom (failure: unknown, body: string): EmapiFailureError {
  const node = isNode(failure) ? failure : {}
  const error = Array.isArray(node.error) ? node.error[0] : node.error
  if (error !== undefined) {
    const code = isNode(error) ? String(error['@_code'] ?? '').trim() : ''
    return new EmapiFailureError(/^\d+$/.test(code) ? Number(code) : 0, textOf(error), body)
  }
  // Neither form: CUCM's words may be the failure's own text, kept rather than dropped.
  return new EmapiFailureError(0, 'errorMessage' in node ? textOf(node.errorMessage) : textOf(failure), body)
}

function resultsOf (node: XmlNode, name: string, body: string): XmlNode[] {
  const results = node[name]
  if (results === undefined) throw badXml(`expected <${name}>`, body)
  const item = name === 'deviceUserResults' ? 'device' : 'user'
  const list = isNode(results) ? results[item] : undefined
  return Array.isArray(list) ? list.filter(isNode) : []
}

/**
 * Matches answers to what was asked by name, case-insensitively, never by position: the order
 * of results is not documented. A name CUCM did not answer for comes back as `missing`.
 */
function matchAsked<T> (asked: readonly string[], items: Map<string, T>, missing: (name: string) => T): T[] {
  return asked.map((name) => items.get(name.toLowerCase()) ?? missing(name))
}

/** A state-changing operation (login, logout, logoutAll): returns on <success/>. */
export function parseActionResponse (body: string): void {
  const node = parseResponse(body)
  if (!('success' in node)) throw badXml('expected <success/> or <failure>', body)
}

/** A user ID or a device name longer than CUCM holds is not an answer of CUCM's: it goes no further (audit rows, screens). */
function bounded (value: string, rule: { maxLength: number }, what: string, body: string): string {
  // Characters, as the API's schema and the dashboard count them (fieldProblem): 𠮷 is one, not its two UTF-16 units.
  const length = [...value].length
  if (length > rule.maxLength) throw badXml(`it names ${what} of ${length} characters; CUCM holds at most ${rule.maxLength}`, body)
  return value
}

export function parseDeviceUserResponse (body: string, asked: readonly string[]): DeviceUserStatus[] {
  const byName = new Map<string, DeviceUserStatus>()
  for (const device of resultsOf(parseResponse(body), 'deviceUserResults', body)) {
    const deviceName = bounded(String(device['@_name'] ?? ''), DEVICE_NAME_RULE, 'a device', body)
    // <none/> stands for an absent userID or lastlogin; their presence alone tells which is which.
    const current = (device.userID as unknown[] | undefined)?.map(textOf).find((u) => u !== '')
    const last = textOf(device.lastlogin)
    const emcc = device.emccDevice === undefined ? null : textOf(device.emccDevice).toLowerCase() === 'yes'
    byName.set(deviceName.toLowerCase(), {
      deviceName,
      exists: !('doesNotExist' in device),
      currentUser: current === undefined ? null : bounded(decodeUserId(current), USER_ID_RULE, 'a user', body),
      lastUser: last === '' ? null : bounded(decodeUserId(last), USER_ID_RULE, 'a user', body),
      emcc
    })
  }
  return matchAsked(asked, byName, (deviceName) => ({ deviceName, exists: false, currentUser: null, lastUser: null, emcc: null }))
}

/**
 * Indexes a <user id="…"> result under its raw and its decoded id, lower-cased, each named as it
 * is spelled: whether CUCM encoded the id is not known (PROTOCOL.md §3), so an unencoded "a+b" is
 * found, and named, as "a+b" when that is what was asked. Where two results claim one id (an
 * encoded "a+b" is "a b", an unencoded one "a+b"), the surer reading wins, whatever their order:
 * a text that reads the same either way, then a decoded one, then a raw one that decodes otherwise.
 */
function indexUsers<T> (users: XmlNode[], read: (user: XmlNode, userId: string) => T): Map<string, T> {
  const byId = new Map<string, { rank: number, value: T }>()
  const claim = (userId: string, rank: number, user: XmlNode): void => {
    const key = userId.toLowerCase()
    if ((byId.get(key)?.rank ?? Infinity) > rank) byId.set(key, { rank, value: read(user, userId) })
  }
  for (const user of users) {
    const raw = String(user['@_id'] ?? '')
    const decoded = decodeUserId(raw)
    if (decoded === raw) {
      claim(raw, 0, user)
    } else {
      claim(decoded, 1, user)
      claim(raw, 2, user)
    }
  }
  return new Map([...byId].map(([key, { value }]) => [key, value]))
}

export function parseUserDevicesResponse (body: string, asked: readonly string[]): UserDevices[] {
  const users = resultsOf(parseResponse(body), 'userDevicesResults', body)
  const byId = indexUsers(users, (user, userId) => ({
    userId,
    exists: !('doesNotExist' in user),
    devices: ((user.deviceName as unknown[] | undefined) ?? []).map(textOf).filter((d) => d !== '')
  }))
  return matchAsked(asked, byId, (userId) => ({ userId, exists: false, devices: [] }))
}

export function parseDeviceProfileResponse (body: string, asked: readonly string[]): UserDeviceProfiles[] {
  const users = resultsOf(parseResponse(body), 'deviceProfileResults', body)
  const byId = indexUsers(users, (user, userId) => ({
    userId,
    exists: !('doesNotExist' in user),
    profiles: ((user.deviceProfile as unknown[] | undefined) ?? []).filter(isNode).map(toProfile)
  }))
  return matchAsked(asked, byId, (userId) => ({ userId, exists: false, profiles: [] }))
}

function toProfile (profile: XmlNode): DeviceProfile {
  const flag = textOf(profile.isDefaultDeviceProfile).toLowerCase()
  return { name: textOf(profile.deviceProfileName), isDefault: flag === 't' || flag === 'true' }
}
