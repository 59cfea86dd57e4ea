import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { XMLValidator } from 'fast-xml-parser'
import { notWellFormed } from '../src/xml/well-formed.ts'

const FIXTURES = new URL('./fixtures/', import.meta.url)
/** Every answer and request document kept as a fixture, EMAPI and AXL, well-formed or not. */
const fixtures = ['', 'axl/', 'cisco-samples/'].flatMap((folder) => readdirSync(new URL(folder, FIXTURES))
  .filter((file) => file.endsWith('.xml'))
  .map((file) => ({ name: `${folder}${file}`, text: readFileSync(new URL(`${folder}${file}`, FIXTURES), 'utf8').trimStart() })))

/** As the parsers call them: after DOCTYPE and entity declarations were refused. */
const checked = fixtures.filter((f) => !/<!DOCTYPE|<!ENTITY/i.test(f.text))

describe('notWellFormed: the check before the lenient parser reads a document', () => {
  test('agrees with fast-xml-parser\'s validator on every fixture', () => {
    assert.ok(checked.length > 50, `${checked.length} fixtures`)
    for (const { name, text } of checked) {
      assert.equal(notWellFormed(text) === undefined, XMLValidator.validate(text) === true, name)
    }
  })

  test('agrees with it on every fixture cut short at every character: a cut document is refused', () => {
    let refused = 0
    for (const { name, text } of checked.filter((f) => XMLValidator.validate(f.text) === true)) {
      for (let end = 1; end < text.length; end++) {
        const cut = text.slice(0, end)
        const ours = notWellFormed(cut) === undefined
        assert.equal(ours, XMLValidator.validate(cut) === true, `${name} cut at ${end}: ${JSON.stringify(cut.slice(-40))}`)
        if (!ours) refused++
      }
    }
    assert.ok(refused > 10_000, `${refused} cut documents refused`)
  })

  const refusedCases: Record<string, [string, RegExp]> = {
    'a closing tag of another element': ['<a><b>x</c></a>', /<\/c> closes <b>/],
    'cut short after a tag': ['<a><b>x</b>', /ends before <a> is closed/],
    'a closing tag too many': ['<a>x</a></b>', /closes no element/],
    'two roots': ['<a>x</a><b>y</b>', /second root/],
    'text after the root': ['<a>x</a> garbage', /text after the root/],
    'text before the root': ['garbage <a>x</a>', /text before the root/],
    'a name that starts with a digit': ['<a><1b>x</1b></a>', /begins no well-formed tag/],
    'a "<" in text': ['<a>x < y</a>', /begins no well-formed tag/],
    'a bare "&"': ['<a>x & y</a>', /"&" begins no/],
    'an "&" with no ";"': ['<a>AT&T</a>', /"&" begins no/],
    'a comment not closed': ['<a><!-- x </a>', /inside a comment/],
    'a CDATA section not closed': ['<a><![CDATA[ x </a>', /inside a CDATA section/],
    'an attribute without quotes': ['<a b=c>x</a>', /begins no well-formed tag/],
    'an attribute without a value': ['<a b>x</a>', /begins no well-formed tag/],
    'a repeated attribute': ['<a b="1" b="2">x</a>', /repeats an attribute/],
    'a closing tag with an attribute': ['<a>x</a b="1">', /closing tag is malformed/],
    'cut inside a tag': ['<a><b', /begins no well-formed tag/],
    'cut inside a processing instruction': ['<a><?pi x', /inside a processing instruction/],
    'an HTML page with an unclosed <br>': ['<html><body><p>Error<br></p></body></html>', /<\/p> closes <br>/],
    'nothing but a comment': ['<!-- x -->', /no root element/],
    empty: ['', /no root element/]
  }
  for (const [name, [text, reason]] of Object.entries(refusedCases)) {
    test(`refuses ${name}, as the validator does`, () => {
      assert.match(notWellFormed(text)?.reason ?? 'accepted', reason)
      assert.notEqual(XMLValidator.validate(text), true)
    })
  }

  // XML forbids these too; the validator let them pass.
  const refusedByXmlOnly: Record<string, [string, RegExp]> = {
    'CDATA outside the root': ['<![CDATA[x]]><a/>', /begins no comment or CDATA/],
    'a "<" in an attribute': ['<a b="<">x</a>', /begins no well-formed tag/],
    'the XML declaration not first': ['<a/><?xml version="1.0"?>', /not at the start/]
  }
  for (const [name, [text, reason]] of Object.entries(refusedByXmlOnly)) {
    test(`refuses ${name}`, () => {
      assert.match(notWellFormed(text)?.reason ?? 'accepted', reason)
    })
  }

  const acceptedCases: Record<string, string> = {
    'a declaration, comments and processing instructions around the root': '<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><?pi x?><a/>\n<!-- after -->\n',
    'namespaces, attributes in either quotes, spaces in tags': '<s:E xmlns:s="u" b=\'1\' c = "2" ><s:B >x</s:B ></s:E>',
    'references and CDATA': '<a>&amp;&lt;&#38;&#x26;&custom;<![CDATA[ & < ]]></a>',
    'a name outside ASCII': '<données><é/></données>',
    'an attribute\'s value that holds another\'s name and "="': '<a id="1" href="/x?id=2" q=\'q=3\'>x</a>',
    'one self-closed root': '<response/>'
  }
  for (const [name, text] of Object.entries(acceptedCases)) {
    test(`accepts ${name}`, () => {
      assert.equal(notWellFormed(text), undefined)
      assert.equal(XMLValidator.validate(text), true)
    })
  }

  // AXL answers may be 8 MB (client.ts): one regular expression over a whole tag kept a backtracking
  // entry per attribute, and a million of them overflowed the stack (a RangeError, not AXL_BAD_XML).
  test('a tag of a million attributes (6 MB) is read, not a stack overflow', () => {
    assert.match(notWellFormed(`<a${' b="1"'.repeat(1_000_000)}/>`)?.reason ?? 'accepted', /<a> repeats an attribute/)
    assert.equal(notWellFormed(`<a${Array.from({ length: 1_000_000 }, (_, i) => ` b${i}='1'`).join('')}/>`), undefined)
  })

  test('names the line of the fault', () => {
    assert.equal(notWellFormed('<a>\n<b>\n</c>\n</a>')?.line, 3)
    assert.equal(notWellFormed('<a>\n<b>x</b>\n')?.line, 3)
  })
})
