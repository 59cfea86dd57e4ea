/**
 * Whether a document is well-formed XML, before fast-xml-parser reads it: that parser is lenient
 * and reads a document cut short, or one whose tags do not match, into partial data without a
 * word (a page of AXL rows cut in its middle reads as fewer rows, the last one empty). Its own
 * validator is a second full pass, char by char: about a tenth of an inventory refresh's CPU
 * (bench:inventory). This pass jumps from one `<` to the next and reads each tag with anchored
 * (sticky) regular expressions, one attribute at a time. It refuses what the validator refused
 * that an answer could hold (a tag not closed, closed in the wrong order or not at all, a second
 * root, text outside the root, a `<` or `&` that starts nothing, a malformed or repeated
 * attribute) and what XML forbids that the validator let pass (CDATA outside the root, a `<` in
 * an attribute's value, an XML declaration that is not first). DOCTYPE and entity declarations
 * are refused by the callers first.
 */

/* eslint-disable no-misleading-character-class -- XML's name characters by code point: the combining marks and joiners are ranges of a class, not glyphs */
const NAME_START = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD'
const NAME = `[${NAME_START}][${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040]*`
/** After `<`: the element's name. Its attributes are read one at a time (a regular expression
 * repeating over them all kept a backtracking entry per attribute: a million overflowed the stack). */
const ELEMENT_NAME = new RegExp(NAME, 'y')
/** One attribute, its value quoted, without a `<` (XML says). */
const ATTRIBUTE = new RegExp(`\\s+(${NAME})\\s*=\\s*(?:"[^<"]*"|'[^<']*')`, 'y')
/** A start tag's end: `>`, or `/>` when the element is empty. */
const START_TAG_END = /\s*(\/?)>/y
/** After `</`. */
const END_TAG = new RegExp(`(${NAME})\\s*>`, 'y')
const NO_TAG = 'a "<" begins no well-formed tag (or the document is cut short in one)'
/** At an `&`: an entity or character reference. */
const REFERENCE = new RegExp(`&(?:${NAME}|#[0-9]+|#x[0-9a-fA-F]+);`, 'y')
const WHITESPACE = /[ \t\r\n]*/y
const XML_DECLARATION = /^<\?xml[\s?]/
/* eslint-enable no-misleading-character-class */

export interface NotWellFormed {
  /** In plain words, e.g. "the document ends before <row> is closed". */
  reason: string
  line: number
}

function lineAt (text: string, index: number): number {
  let line = 1
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) line++
  return line
}

/** The start tag at `lt`: its name, whether it is empty (`/>`) and where it ends; or why it is no tag. */
function startTag (text: string, lt: number): { name: string, empty: boolean, end: number } | string {
  ELEMENT_NAME.lastIndex = lt + 1
  const name = ELEMENT_NAME.exec(text)?.[0]
  if (name === undefined) return NO_TAG
  // The usual case first: no attributes.
  if (text.charCodeAt(ELEMENT_NAME.lastIndex) === 0x3E /* > */) return { name, empty: false, end: ELEMENT_NAME.lastIndex + 1 }
  let names: Set<string> | undefined
  ATTRIBUTE.lastIndex = ELEMENT_NAME.lastIndex
  let end = ELEMENT_NAME.lastIndex
  for (let attribute = ATTRIBUTE.exec(text); attribute !== null; attribute = ATTRIBUTE.exec(text)) {
    const attributeName = attribute[1] ?? ''
    names ??= new Set()
    if (names.has(attributeName)) return `<${name}> repeats an attribute`
    names.add(attributeName)
    end = ATTRIBUTE.lastIndex
  }
  START_TAG_END.lastIndex = end
  const close = START_TAG_END.exec(text)
  if (close === null) return NO_TAG
  return { name, empty: close[1] === '/', end: START_TAG_END.lastIndex }
}

/**
 * Whether `text` holds more than `limit` tags (every `<`), counted before it is parsed: a document
 * of many small elements under a size cap held the event loop for seconds in fast-xml-parser. Stops
 * counting at the limit, so it costs little. Each caller's limit says what its answers hold.
 */
export function holdsMoreTagsThan (text: string, limit: number): boolean {
  let tags = 0
  for (let at = text.indexOf('<'); at !== -1; at = text.indexOf('<', at + 1)) {
    if (++tags > limit) return true
  }
  return false
}

/** Undefined when `text` is one well-formed element (with comments, PIs and whitespace around it); else why not. */
export function notWellFormed (text: string): NotWellFormed | undefined {
  /** The elements open, innermost last: once the root was seen and this is empty, the root is closed. */
  const open: string[] = []
  let rootSeen = false
  let at = 0
  /** The next `&` at or after `at`: most documents have few, and text is not copied to look. */
  let ampersand = text.indexOf('&')
  const fail = (reason: string, index: number): NotWellFormed => ({ reason, line: lineAt(text, index) })
  /** The text before `end`: inside the root any text but a bare `&`; outside it only whitespace. */
  const textFails = (end: number): NotWellFormed | undefined => {
    if (end === at) return undefined
    if (open.length === 0) {
      WHITESPACE.lastIndex = at
      WHITESPACE.exec(text)
      return WHITESPACE.lastIndex === end ? undefined : fail(rootSeen ? 'there is text after the root element' : 'there is text before the root element', at)
    }
    for (; ampersand !== -1 && ampersand < end; ampersand = text.indexOf('&', ampersand + 1)) {
      REFERENCE.lastIndex = ampersand
      if (ampersand >= at && !REFERENCE.test(text)) return fail('an "&" begins no character or entity reference', ampersand)
    }
    return undefined
  }
  for (;;) {
    const lt = text.indexOf('<', at)
    const textFailure = textFails(lt === -1 ? text.length : lt)
    if (textFailure !== undefined) return textFailure
    if (lt === -1) break
    const next = text.charCodeAt(lt + 1)
    if (next === 0x21 /* ! */) {
      const [opener, closer] = text.startsWith('<!--', lt) ? ['<!--', '-->'] : text.startsWith('<![CDATA[', lt) && open.length > 0 ? ['<![CDATA[', ']]>'] : []
      if (opener === undefined || closer === undefined) return fail('a "<!" begins no comment or CDATA section', lt)
      const end = text.indexOf(closer, lt + opener.length)
      if (end === -1) return fail(`the document ends inside a ${opener === '<!--' ? 'comment' : 'CDATA section'}`, lt)
      at = end + closer.length
    } else if (next === 0x3F /* ? */) {
      const end = text.indexOf('?>', lt + 2)
      if (end === -1) return fail('the document ends inside a processing instruction', lt)
      if (lt !== 0 && XML_DECLARATION.test(text.slice(lt, lt + 6))) return fail('the XML declaration is not at the start of the document', lt)
      at = end + 2
    } else if (next === 0x2F /* / */) {
      // The usual case first: the name of the element open, then ">".
      const last = open.at(-1)
      if (last !== undefined && text.startsWith(last, lt + 2) && text.charCodeAt(lt + 2 + last.length) === 0x3E /* > */) {
        open.pop()
        at = lt + 3 + last.length
        continue
      }
      END_TAG.lastIndex = lt + 2
      const match = END_TAG.exec(text)
      if (match === null) return fail('a closing tag is malformed or cut short', lt)
      const expected = open.pop()
      if (expected === undefined) return fail(`</${match[1] ?? ''}> closes no element`, lt)
      if (match[1] !== expected) return fail(`</${match[1] ?? ''}> closes <${expected}>`, lt)
      at = END_TAG.lastIndex
    } else {
      const tag = startTag(text, lt)
      if (typeof tag === 'string') return fail(tag, lt)
      if (rootSeen && open.length === 0) return fail('there is a second root element', lt)
      rootSeen = true
      if (!tag.empty) open.push(tag.name)
      at = tag.end
    }
  }
  const unclosed = open.at(-1)
  if (unclosed !== undefined) return fail(`the document ends before <${unclosed}> is closed`, text.length)
  if (!rootSeen) return fail('there is no root element', 0)
  return undefined
}
