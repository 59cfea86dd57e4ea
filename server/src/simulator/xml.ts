import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { encodeUserIdLikeJava, escapeXml } from '@em-console/shared/emapi'
import type { DeviceUserResult, UserDevicesResult, UserProfilesResult } from './state.js'

/** Switches for the answer shapes seen in the wild, or left open by the documents (PROTOCOL.md §1, §3). */
export interface ResponseVariants {
  /** `<?xml version="1.0"?>` before query answers. */
  queryPrologue: boolean
  /** The same before login/logout/logoutAll answers: seen with it, and "accept both" (§1). */
  actionPrologue: boolean
  /** `<error code="N">` as in Cisco's examples, or `<errorMessage>` as in the DTD. */
  failureForm: 'error-code' | 'errorMessage'
  /** userID, lastlogin, emccDevice; or the older userID, lastlogin. */
  deviceForm: 'three-child' | 'two-child'
  contentType: string
  /**
   * The bytes of an answer: UTF-8, or ISO-8859-1 as a Java servlet's writer sends them unless told
   * otherwise, naming it in the Content-Type header only (a character it cannot hold becomes `?`).
   * The charset of answers is not documented (§1).
   */
  bodyCharset: 'utf-8' | 'iso-8859-1'
  /** Line breaks and spaces before the answer, prologue included (PROTOCOL.md §1: "any whitespace"). */
  leadingWhitespace: boolean
  /**
   * Every element on a line of its own (a device's children too, as the real capture of an empty
   * device shows them), indented by two spaces a level, lines ending in CRLF: "any whitespace" (§1).
   */
  indented: boolean
  /** Query results in the order asked, or the other way round: their order is not documented (§3). */
  resultOrder: 'asked' | 'reversed'
  /** What `<emccDevice>` says in the three-child form (§3: `no|yes`). */
  emccDevice: 'no' | 'yes'
  /**
   * How user IDs are encoded in answers; the encoder is not documented (§3): java.net.URLEncoder
   * (`+` for a space, upper-case hex), URI style (`%20`, lower-case hex), or not at all.
   */
  userIdEncoding: 'java' | 'uri' | 'none'
  /**
   * How a look-up answers for a name CUCM does not know: `<doesNotExist/>` in its place (the DTD,
   * client models; not seen in a capture), or the whole query refused as a change naming it is,
   * 11 for a device and 23 for a user (PROTOCOL.md §3, §4: which CUCM does is not known).
   */
  unknownAs: 'doesNotExist' | 'failure'
}

export const DEFAULT_VARIANTS: Readonly<ResponseVariants> = {
  queryPrologue: false,
  failureForm: 'error-code',
  deviceForm: 'three-child',
  contentType: 'text/xml;charset=UTF-8',
  bodyCharset: 'utf-8',
  leadingWhitespace: false,
  indented: false,
  actionPrologue: true,
  resultOrder: 'asked',
  emccDevice: 'no',
  userIdEncoding: 'java',
  unknownAs: 'doesNotExist'
}

const PROLOGUE = '<?xml version="1.0"?>\n'

// CUCM-like texts; clients must switch on the code, never on these (PROTOCOL.md §4).
const ERROR_TEXTS: Record<number, string> = {
  1: 'Unable to parse the request',
  2: 'Cannot authorize the application user',
  3: 'Could not authenticate the application user',
  8: 'Query type undetermined',
  10: 'Application user does not have proxy rights',
  11: 'Device does not exist',
  12: 'Device profile not found or not associated with the user',
  18: 'Another user logged in',
  19: 'No user logged in',
  22: 'Extension Mobility is not enabled on the device',
  23: 'User does not exist',
  25: 'User logged in elsewhere',
  26: 'Busy: the maximum number of concurrent requests is in progress'
}

/** An answer's text as the bytes the variant sends. */
export function answerBytes (text: string, variants: ResponseVariants): Buffer {
  // Whitespace before the answer (leadingWhitespace) is kept as it is.
  const laidOut = variants.indented ? (/^\s*/.exec(text)?.[0] ?? '') + indent(text) : text
  return variants.bodyCharset === 'iso-8859-1' ? Buffer.from(laidOut.replace(/[^\t\n\r\u0020-\u00ff]/g, '?'), 'latin1') : Buffer.from(laidOut, 'utf8')
}

/** The answer with each element on its own line, indented by depth; an element of text alone stays on one line. */
function indent (xml: string): string {
  const tokens = xml.match(/<[^>]+>|[^<]+/g)?.filter((token) => token.trim() !== '') ?? []
  const out: string[] = []
  let depth = 0
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? ''
    const pad = '  '.repeat(depth)
    if (token.startsWith('</')) {
      depth--
      out.push('  '.repeat(depth) + token)
    } else if (token.startsWith('<?') || token.endsWith('/>')) {
      out.push(pad + token)
    } else if (tokens[i + 1]?.startsWith('</') === true) {
      out.push(pad + token + (tokens[++i] ?? ''))
    } else if (tokens[i + 1]?.startsWith('<') === false && tokens[i + 2]?.startsWith('</') === true) {
      out.push(pad + token + (tokens[++i] ?? '') + (tokens[++i] ?? ''))
    } else {
      out.push(pad + token)
      depth++
    }
  }
  return out.join('\r\n') + '\r\n'
}

function lines (...elements: string[]): string {
  return elements.join('\n') + '\n'
}

const USER_ID_ENCODERS: Record<ResponseVariants['userIdEncoding'], (id: string) => string> = {
  java: encodeUserIdLikeJava,
  uri: (id) => encodeURIComponent(id).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
  none: (id) => id
}

function user (id: string, variants: ResponseVariants): string {
  return escapeXml(USER_ID_ENCODERS[variants.userIdEncoding](id))
}

function prologue (variants: ResponseVariants, kind: 'action' | 'query'): string {
  return (kind === 'action' ? variants.actionPrologue : variants.queryPrologue) ? PROLOGUE : ''
}

/** The real server's action answer: prologue, then one element per line. */
export function renderSuccess (variants: ResponseVariants): string {
  return prologue(variants, 'action') + lines('<response>', '<success/>', '</response>')
}

export function renderFailure (code: number, variants: ResponseVariants, kind: 'action' | 'query'): string {
  const text = escapeXml(ERROR_TEXTS[code] ?? `Error ${code}`)
  const error = variants.failureForm === 'errorMessage'
    ? `<errorMessage>${text}</errorMessage>`
    : `<error code="${code}">${text}</error>`
  return prologue(variants, kind) + lines('<response>', '<failure>', error, '</failure>', '</response>')
}

function query (variants: ResponseVariants, results: string, items: string[]): string {
  const ordered = variants.resultOrder === 'reversed' ? items.toReversed() : items
  return prologue(variants, 'query') + lines('<response>', `<${results}>`, ...ordered, `</${results}>`, '</response>')
}

export function renderDeviceUserResults (results: readonly DeviceUserResult[], variants: ResponseVariants): string {
  return query(variants, 'deviceUserResults', results.map((d) => {
    let children: string
    if (!d.exists) {
      children = '<doesNotExist/>'
    } else {
      children = (d.currentUser === null ? '<none/>' : `<userID>${user(d.currentUser, variants)}</userID>`) +
        (d.lastUser === null ? '<none/>' : `<lastlogin>${user(d.lastUser, variants)}</lastlogin>`) +
        (variants.deviceForm === 'three-child' ? `<emccDevice>${variants.emccDevice}</emccDevice>` : '')
    }
    return `<device name="${escapeXml(d.name)}">${children}</device>`
  }))
}

export function renderUserDevicesResults (results: readonly UserDevicesResult[], variants: ResponseVariants): string {
  return query(variants, 'userDevicesResults', results.map((u) => {
    const children = !u.exists
      ? '<doesNotExist/>'
      : u.devices.length === 0 ? '<none/>' : u.devices.map((d) => `<deviceName>${escapeXml(d)}</deviceName>`).join('')
    return `<user id="${user(u.id, variants)}">${children}</user>`
  }))
}

export function renderDeviceProfileResults (results: readonly UserProfilesResult[], variants: ResponseVariants): string {
  return query(variants, 'deviceProfileResults', results.map((u) => {
    const children = !u.exists
      ? '<doesNotExist/>'
      : u.profiles.length === 0
        ? '<none/>'
        : u.profiles.map((p) => `<deviceProfile><deviceProfileName>${escapeXml(p.name)}</deviceProfileName><isDefaultDeviceProfile>${p.isDefault ? 't' : 'f'}</isDefaultDeviceProfile></deviceProfile>`).join('')
    return `<user id="${user(u.id, variants)}">${children}</user>`
  }))
}

/** An EMAPI document as the simulator understands it, or the code it answers instead. */
export type ParsedDocument =
  /** `query` picks the answer form: a failed query follows the query variants. */
  | { kind: 'error', code: number, query: boolean }
  | { kind: 'login', app: AppInfo, deviceName: string, userId: string, deviceProfile: string | undefined, exclusiveMinutes: number | null }
  | { kind: 'logout', app: AppInfo, deviceName: string }
  | { kind: 'logoutAll', app: AppInfo }
  | { kind: 'deviceUserQuery', app: AppInfo, deviceNames: string[] }
  | { kind: 'userDevicesQuery' | 'deviceProfileQuery', app: AppInfo, userIds: string[] }

export interface AppInfo {
  appId: string
  password: string
}

type XmlNode = Record<string, unknown>

// Values are not trimmed or coerced: passwords and IDs arrive exactly as sent.
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => name === 'deviceName' || name === 'userID'
})

class StructureError extends Error {
  constructor (readonly code: number) {
    super(`EMAPI code ${code}`)
  }
}

function isNode (value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The text of a leaf element; an element with child elements is a structure error. */
function text (value: unknown): string {
  if (typeof value === 'string') return value
  if (isNode(value) && Object.keys(value).every((k) => k === '#text')) return typeof value['#text'] === 'string' ? value['#text'] : ''
  throw new StructureError(1)
}

function texts (value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new StructureError(1)
  return value.map(text)
}

function single (value: unknown): string {
  const [only, ...rest] = texts(value)
  if (only === undefined || rest.length > 0) throw new StructureError(1)
  return only
}

function node (value: unknown): XmlNode {
  if (isNode(value)) return value
  // `<logoutAll></logoutAll>` and `<logoutAll/>` parse as text, not as a node.
  if (typeof value === 'string' && value.trim() === '') return {}
  throw new StructureError(1)
}

function appInfoOf (root: XmlNode): AppInfo {
  const info = node(root.appInfo)
  return { appId: text(info.appID), password: text(info.appCertificate) }
}

function parseLogin (root: XmlNode, login: XmlNode): ParsedDocument {
  const app = appInfoOf(root)
  const profile = login.deviceProfile === undefined ? undefined : text(login.deviceProfile)
  let exclusiveMinutes: number | null = null
  if (login.exclusiveDuration !== undefined) {
    const duration = node(login.exclusiveDuration)
    if (duration.time !== undefined) {
      const time = text(duration.time).trim()
      if (!/^\d+$/.test(time)) throw new StructureError(1)
      exclusiveMinutes = Number(time)
    } else if (!('indefinite' in duration)) {
      throw new StructureError(1)
    }
  }
  return { kind: 'login', app, deviceName: single(login.deviceName), userId: single(login.userID), deviceProfile: profile, exclusiveMinutes }
}

function parseRequest (root: XmlNode): ParsedDocument {
  if (root.login !== undefined) return parseLogin(root, node(root.login))
  if (root.logout !== undefined) return { kind: 'logout', app: appInfoOf(root), deviceName: single(node(root.logout).deviceName) }
  if (root.logoutAll !== undefined) {
    node(root.logoutAll)
    return { kind: 'logoutAll', app: appInfoOf(root) }
  }
  throw new StructureError(1)
}

function parseQuery (root: XmlNode): ParsedDocument {
  const app = appInfoOf(root)
  if (root.deviceUserQuery !== undefined) return { kind: 'deviceUserQuery', app, deviceNames: texts(node(root.deviceUserQuery).deviceName) }
  if (root.userDevicesQuery !== undefined) return { kind: 'userDevicesQuery', app, userIds: texts(node(root.userDevicesQuery).userID) }
  // One page of Cisco's docs names it userDeviceProfileQuery (PROTOCOL.md §2): accept both.
  const profileQuery = root.deviceProfileQuery ?? root.userDeviceProfileQuery
  if (profileQuery !== undefined) return { kind: 'deviceProfileQuery', app, userIds: texts(node(profileQuery).userID) }
  throw new StructureError(8)
}

/** Reads a request or query: code 1 when unparseable or off the DTD, 8 for an unknown query type. */
export function parseDocument (xml: string): ParsedDocument {
  if (xml.trim() === '' || XMLValidator.validate(xml) !== true) return { kind: 'error', code: 1, query: false }
  const doc: unknown = parser.parse(xml)
  const roots = isNode(doc) ? Object.keys(doc).filter((k) => k !== '?xml') : []
  const root = roots.length === 1 && isNode(doc) ? doc[roots[0] as string] : undefined
  try {
    if (roots[0] === 'request') return parseRequest(node(root))
    if (roots[0] === 'query') return parseQuery(node(root))
    return { kind: 'error', code: 1, query: false }
  } catch (error) {
    if (error instanceof StructureError) return { kind: 'error', code: error.code, query: roots[0] === 'query' }
    throw error
  }
}
