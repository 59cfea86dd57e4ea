import assert from 'node:assert/strict'
import { test } from 'node:test'
import { xmlText } from '../src/emapi/xml-text.ts'

const DOC = (encoding: string): string => `<?xml version="1.0" encoding="${encoding}"?><r>José</r>`

test('an answer is read in the encoding its mark or declaration names, else UTF-8; the bytes rule out what they cannot be', () => {
  assert.equal(xmlText(Buffer.from(DOC('ISO-8859-1'), 'latin1')), DOC('ISO-8859-1'))
  assert.equal(xmlText(Buffer.from(DOC('UTF-8'), 'utf8')), DOC('UTF-8'))
  assert.equal(xmlText(Buffer.from('<r>José</r>', 'utf8')), '<r>José</r>', 'no declaration: UTF-8')
  assert.equal(xmlText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(DOC('UTF-16'), 'utf16le')])), DOC('UTF-16'))
  assert.equal(xmlText(Buffer.from(DOC('UTF-16'), 'utf16le')), DOC('UTF-16'), 'UTF-16 without its mark: the NUL beside "<"')
  // A UTF-8 mark wins over a declaration that says otherwise.
  assert.equal(xmlText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(DOC('ISO-8859-1'), 'utf8')])).replace(/^\uFEFF/, ''), DOC('ISO-8859-1'))
  // 8-bit bytes that declare UTF-16 are not UTF-16.
  assert.equal(xmlText(Buffer.from(DOC('UTF-16'), 'utf8')), DOC('UTF-16'))
  // An encoding this runtime does not know: UTF-8.
  assert.equal(xmlText(Buffer.from(DOC('x-no-such-charset'), 'utf8')), DOC('x-no-such-charset'))
})

test('bytes that are not UTF-8 and declare no other encoding are ISO-8859-1, as a Java servlet writes them unless told otherwise', () => {
  // Tomcat names that charset only in the Content-Type header, which the body is not read by (PROTOCOL.md §1).
  const body = '<response><deviceProfileResults><user id="m\u00fcller"><deviceProfile><deviceProfileName>B\u00fcro \u00c5s</deviceProfileName></deviceProfile></user></deviceProfileResults></response>'
  assert.equal(xmlText(Buffer.from(body, 'latin1')), body)
  assert.equal(xmlText(Buffer.from(`<?xml version="1.0"?>\n${body}`, 'latin1')), `<?xml version="1.0"?>\n${body}`, 'a declaration without an encoding')
  assert.equal(xmlText(Buffer.from(DOC('UTF-8'), 'latin1')), DOC('UTF-8'), 'a declaration the bytes contradict')
  // Valid UTF-8 stays UTF-8: "Ã©" is not read for "é".
  assert.equal(xmlText(Buffer.from(body, 'utf8')), body)
})
