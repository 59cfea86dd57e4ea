import { NOT_IN_XML } from '../field-rules.js'

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;'
}

/**
 * Escapes the five XML special characters so any value can sit inside an element. A character
 * XML cannot carry at all is refused (the edge refuses it first, with the field's name): sent,
 * CUCM would refuse the whole document, as if EM Console had a bug.
 */
export function escapeXml (value: string): string {
  const notInXml = NOT_IN_XML.exec(value)
  if (notInXml !== null) throw new RangeError(`U+${(notInXml[0].codePointAt(0) ?? 0).toString(16).toUpperCase()} cannot be written in XML (at character ${notInXml.index + 1} of a value)`)
  return value.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c)
}

/**
 * Encodes a user ID the way CUCM's Java service does in its answers (java.net.URLEncoder:
 * letters, digits and `.-*_` stay, space becomes `+`, the rest is %XX of the UTF-8 bytes).
 * The simulator uses it; PROTOCOL.md §3 "User-ID encoding".
 */
export function encodeUserIdLikeJava (userId: string): string {
  return encodeURIComponent(userId)
    .replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+')
}

/**
 * What a percent-encoder writes: java.net.URLEncoder's letters, digits, `.-*_`, `+` and %XX, and
 * what encodeURIComponent leaves as well (`!~'()`). Any other character (a space, `@`, `&`, é)
 * says the text was not encoded.
 */
const ENCODED = /^[A-Za-z0-9.\-*_!~'()+%]*$/

/**
 * Decodes a user ID from an EMAPI answer with form rules (`+` is a space, then %XX as UTF-8).
 * The encoder is undocumented, so text that no encoder wrote, or that is not valid
 * percent-encoding, is kept as it came: an unencoded "jo+anne smith" stays itself, not
 * "jo anne smith". (An unencoded "a+b" cannot be told from an encoded "a b": read as encoded, as
 * PROTOCOL.md §3 says CUCM answers.)
 */
export function decodeUserId (raw: string): string {
  if (!ENCODED.test(raw)) return raw
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '))
  } catch {
    return raw
  }
}

/** Replaces the password in an EMAPI document, for audit records and logs. */
export function maskPassword (xml: string): string {
  return xml.replace(/<appCertificate>[^<]*<\/appCertificate>/g, '<appCertificate>********</appCertificate>')
}

const MASK = '********'

/** The ways an XML writer may escape the five special characters: by name, or by number (decimal, hex). */
const ESCAPE_STYLES: ReadonlyArray<(c: string) => string> = [
  (c) => XML_ESCAPES[c] ?? c,
  (c) => c === "'" ? '&#39;' : XML_ESCAPES[c] ?? c,
  (c) => `&#${c.charCodeAt(0)};`,
  (c) => `&#x${c.charCodeAt(0).toString(16)};`,
  (c) => `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`
]

/**
 * Masks secrets (a password, a Basic credentials token) in text a far end sent back: a proxy or a
 * broken CUCM that echoes the request would otherwise put the password in audit records, the
 * database, API answers and the CLI's output. Each secret is masked in every form it was sent in
 * or may come back in: as is, XML-escaped (by name or by number), and percent- or form-encoded
 * (the EMAPI form body, a URL), as well as those encodings of its XML-escaped forms.
 */
export function secretRedactor (secrets: readonly string[]): (text: string) => string {
  const form = (value: string): string => new URLSearchParams({ v: value }).toString().slice(2)
  const escaped = (value: string): string[] => ESCAPE_STYLES.map((style) => value.replace(/[&<>"']/g, style))
  const forms = [...new Set(secrets.filter((s) => s !== '').flatMap((s) => [s, ...escaped(s)]).flatMap((s) => [s, encodeURIComponent(s), form(s)]))]
    // Longest first: a form that contains another is masked whole.
    .sort((a, b) => b.length - a.length)
  const whole = (text: string): string => forms.reduce((masked, secret) => masked.includes(secret) ? masked.split(secret).join(MASK) : masked, text)
  return (text) => text.includes(CUT) ? cutOff(whole(text), forms) : whole(text)
}

/** What a quote cut to a readable length ends with (a page's title, a fault's text). */
const CUT = '…'
/** The shortest start of a secret masked where a quote was cut: shorter ones are common text. */
const CUT_SECRET_MIN = 4

/** The cuts looked at in one text: a message has one or two; a far end's text with more is not ours to have cut. */
const CUTS_LOOKED_AT = 64

/**
 * A secret a quote was cut in the middle of: its start, then the cut's "…". A message quotes a
 * far end's text cut (a title at 100 characters) before it is masked, so the secret it echoed may
 * stand there only in part. Only the text just before each cut is looked at (a whole answer's
 * body searched once a form and a length held the event loop 140 ms a megabyte).
 */
function cutOff (text: string, forms: readonly string[]): string {
  const longest = forms[0]?.length ?? 0
  let masked = ''
  let from = 0
  for (let at = text.indexOf(CUT), seen = 0; at !== -1 && seen < CUTS_LOOKED_AT; at = text.indexOf(CUT, at + CUT.length), seen++) {
    const start = secretStartEnding(text.slice(Math.max(from, at - longest), at), forms)
    masked += text.slice(from, at - start) + (start === 0 ? '' : MASK)
    from = at
  }
  return masked + text.slice(from)
}

/** How long the longest start of a secret (CUT_SECRET_MIN or more, short of the whole) that `text` ends with is; 0 for none. */
function secretStartEnding (text: string, forms: readonly string[]): number {
  let found = 0
  for (const secret of forms) {
    for (let length = Math.min(secret.length - 1, text.length); length >= CUT_SECRET_MIN && length > found; length--) {
      if (text.endsWith(secret.slice(0, length))) { found = length; break }
    }
  }
  return found
}
