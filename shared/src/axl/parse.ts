/**
 * The AXL answer side: one configured parser for executeSQLQuery answers and SOAP faults
 * (../../../../shared/axl/PROTOCOL.md §2, §4). Tolerant of prologues, whitespace and namespace
 * prefixes; strict about what could hurt: DOCTYPE, entity declarations, absurd nesting.
 */
import { XMLParser } from 'fast-xml-parser'
import { holdsMoreTagsThan, notWellFormed } from '../xml/well-formed.js'
import { AxlError, type AxlFault } from './errors.js'

/** One answer row: the asked columns by name. SQL NULL and '' both arrive as an empty element. */
export type AxlRow = Record<string, string>

const ROW_PATH = 'Envelope.Body.executeSQLQueryResponse.return.row'
/** Envelope > Body > response > return > row > column is 6 deep; anything far deeper is not AXL. */
const MAX_DEPTH = 16

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
const REFERENCE = /&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g

function isXmlChar (code: number): boolean {
  return code === 0x9 || code === 0xA || code === 0xD || (code >= 0x20 && code <= 0xD7FF) ||
    (code >= 0xE000 && code <= 0xFFFD) || (code >= 0x10000 && code <= 0x10FFFF)
}

/**
 * XML's five named entities and numeric references, in one pass so `&#38;lt;` stays `&lt;`.
 * No HTML table: AXL never sends one, and it makes every parse slower.
 */
function decodeEntities (text: string): string {
  if (!text.includes('&')) return text
  return text.replace(REFERENCE, (reference, hex: string | undefined, decimal: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED[name] ?? reference
    const code = hex === undefined ? Number(decimal) : Number.parseInt(hex, 16)
    return isXmlChar(code) ? String.fromCodePoint(code) : reference
  })
}

// Values are never coerced or trimmed: a device named 0012 stays "0012", a description keeps its spaces.
const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  entityDecoder: {
    decode: decodeEntities,
    setExternalEntities: () => {},
    addInputEntities: () => {},
    reset: () => {},
    setXmlVersion: () => {}
  },
  maxNestedTags: MAX_DEPTH,
  // Callbacks get the parser's path object, not its text: with the text (jPath: true) the parser
  // builds it for every element: about 8 % of a refresh's CPU at 1,000 rows an answer.
  jPath: false,
  isArray: (name, path) => name === 'row' && path.toString() === ROW_PATH
})

type XmlNode = Record<string, unknown>

function isNode (value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Text of a leaf; whitespace-only `#text` between child elements is layout, not content. */
function leafText (value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (isNode(value) && Object.keys(value).every((k) => k === '#text')) return typeof value['#text'] === 'string' ? value['#text'] : ''
  return undefined
}

/**
 * The most tags (every `<`) an AXL answer may hold. A page of EM Console's is 1,000 rows of at
 * most 8 columns: about 18,000. Eight MiB of empty rows or cells fit under the size cap and held
 * the event loop for seven to ten seconds while they were parsed (the dashboard, the API and every
 * EMAPI request's timer stood still): they are counted first, which costs little.
 */
const MAX_TAGS = 100_000

function badXml (reason: string): AxlError {
  return new AxlError('AXL_BAD_XML', `CUCM answered with a document EM Console cannot read as AXL: ${reason}.`)
}

/** Parses a SOAP envelope and returns its Body; anything else is AXL_BAD_XML. */
function readBody (xml: string): XmlNode {
  // Whitespace or a byte-order mark may come before the prologue.
  const text = xml.trimStart()
  if (text === '') throw badXml('the body is empty')
  // AXL never declares a DOCTYPE; refusing it shuts out entity expansion tricks entirely.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw badXml('it declares a DOCTYPE or entities, which AXL never does')
  if (holdsMoreTagsThan(text, MAX_TAGS)) throw badXml(`it holds more than ${MAX_TAGS.toLocaleString('en-US')} tags, which no answer to EM Console's queries does`)
  const fault = notWellFormed(text)
  if (fault !== undefined) throw badXml(`${fault.reason} (line ${fault.line})`)
  let doc: unknown
  try {
    doc = parser.parse(text)
  } catch (error) {
    throw badXml(error instanceof Error ? error.message : String(error))
  }
  const envelope = isNode(doc) ? doc.Envelope : undefined
  if (!isNode(envelope)) throw badXml('the root element is not a SOAP Envelope')
  const body = envelope.Body
  if (isNode(body)) return body
  if (leafText(body)?.trim() === '') return {}
  throw badXml('the Envelope has no Body')
}

function faultFrom (node: unknown): AxlFault {
  const fault = isNode(node) ? node : {}
  const detail = isNode(fault.detail) ? fault.detail : {}
  const axlError = isNode(detail.axlError) ? detail.axlError : {}
  const code = (leafText(axlError.axlcode) ?? '').trim()
  return {
    faultCode: (leafText(fault.faultcode) ?? '').trim(),
    faultString: (leafText(fault.faultstring) ?? '').trim(),
    axlCode: /^-?\d+$/.test(code) ? Number(code) : null,
    axlMessage: (leafText(axlError.axlmessage) ?? '').trim()
  }
}

const TOO_LARGE = /query\s+request\s+too\s+large/i
const TOTAL_ROWS = /total\s+rows\s+matched\s*:?\s*(\d[\d,]*)/i
const SUGGESTED_ROWS = /(?:suggestive|suggested)\s+row\s+fetch\s*:?\s*(?:less\s+than\s*)?(\d[\d,]*)/i

function count (pattern: RegExp, text: string): number | undefined {
  const digits = pattern.exec(text)?.[1]?.replaceAll(',', '')
  return digits === undefined ? undefined : Number(digits)
}

/**
 * Reads "Query request too large. Total rows matched: N rows. Suggestive Row Fetch: less than M
 * rows" and its variants. Undefined when the text is not that fault; the numbers when it says them.
 */
export function parseTooLarge (text: string): { totalRows: number | undefined, suggestedRows: number | undefined } | undefined {
  if (!TOO_LARGE.test(text)) return undefined
  return { totalRows: count(TOTAL_ROWS, text), suggestedRows: count(SUGGESTED_ROWS, text) }
}

/**
 * A fault's own text is quoted up to this many characters (as EMAPI's failures are):
 * CUCM's are a sentence, and a broken node's or a proxy's may run to megabytes, which the message
 * would carry into the CLI's output and the inventory's state the dashboard polls. The fault keeps it whole.
 */
const FAULT_TEXT_SHOWN = 200

/** The error a fault stands for: AXL_TOO_LARGE with its numbers, else AXL_FAULT with CUCM's message. */
export function faultError (fault: AxlFault, httpStatus?: number): AxlError {
  const said = fault.axlMessage !== '' ? fault.axlMessage : fault.faultString
  const message = said.length > FAULT_TEXT_SHOWN ? `${said.slice(0, FAULT_TEXT_SHOWN)}…` : said
  const tooLarge = parseTooLarge(fault.faultString) ?? parseTooLarge(fault.axlMessage)
  if (tooLarge !== undefined) {
    return new AxlError('AXL_TOO_LARGE', `CUCM refused the answer as too large: ${message}`, { fault, httpStatus, ...tooLarge })
  }
  const code = fault.axlCode === null ? '' : ` (AXL code ${fault.axlCode})`
  return new AxlError('AXL_FAULT', `CUCM refused the request${code}: ${message === '' ? 'no message' : message}`, { fault, httpStatus })
}

/** The fault of a SOAP answer, or undefined when the document is not a fault (never throws). */
export function parseFault (xml: string): AxlFault | undefined {
  try {
    const body = readBody(xml)
    return 'Fault' in body ? faultFrom(body.Fault) : undefined
  } catch {
    return undefined
  }
}

/**
 * Reads an executeSQLQuery answer into rows holding `columns`, matched by element name (lower
 * case), never by position. A fault throws its AxlError; a row without an asked column throws
 * AXL_FAULT naming it, since that means the CUCM schema differs from what was asked.
 */
export function parseSqlQueryResponse (xml: string, columns: readonly string[]): AxlRow[] {
  const body = readBody(xml)
  if ('Fault' in body) throw faultError(faultFrom(body.Fault))
  const response = body.executeSQLQueryResponse
  if (response === undefined) throw badXml('expected executeSQLQueryResponse in the Body')
  if (!isNode(response) || response.return === undefined) throw badXml('executeSQLQueryResponse has no return element')
  const result = response.return
  if (!isNode(result)) {
    // `<return/>` and a whitespace-only return are the empty result.
    if (leafText(result)?.trim() === '') return []
    throw badXml('the return element holds text, not rows')
  }
  const rows = result.row
  if (rows === undefined) return []
  if (!Array.isArray(rows)) throw badXml('unexpected row structure')
  return rows.map((row: unknown, index) => toRow(row, index, columns))
}

function toRow (row: unknown, index: number, columns: readonly string[]): AxlRow {
  const cells = new Map<string, unknown>()
  if (isNode(row)) {
    for (const [name, value] of Object.entries(row)) if (name !== '#text') cells.set(name.toLowerCase(), value)
  } else if (leafText(row)?.trim() !== '') {
    throw badXml(`row ${index + 1} holds text, not columns`)
  }
  const out: AxlRow = {}
  for (const column of columns) {
    const value = cells.get(column.toLowerCase())
    if (value === undefined) {
      throw new AxlError('AXL_FAULT', `CUCM's answer has no column "${column}" (row ${index + 1}); this CUCM release may name it differently.`)
    }
    const text = leafText(value)
    if (text === undefined) throw badXml(`column "${column}" of row ${index + 1} is not a single text value`)
    out[column] = text
  }
  return out
}
