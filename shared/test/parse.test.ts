import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import {
  EmapiError,
  EmapiFailureError,
  isEmapiFailure,
  parseActionResponse,
  parseDeviceProfileResponse,
  parseDeviceUserResponse,
  parseUserDevicesResponse,
  type DeviceUserStatus,
  type EmapiErrorCategory,
  type UserDeviceProfiles,
  type UserDevices
} from '../src/emapi/index.ts'

const FIXTURES = new URL('./fixtures/', import.meta.url)
// Cisco's documented samples, copied into the repository (fixtures/cisco-samples/README.md).
const SAMPLES = new URL('./fixtures/cisco-samples/', import.meta.url)

function xmlFiles (dir: URL): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.xml')).sort()
}

function read (dir: URL, file: string): string {
  return readFileSync(new URL(file, dir), 'utf8')
}

const fixture = (file: string): string => read(FIXTURES, file)

/** Every parser, so a failure or a bad document is checked against all of them. */
const PARSERS: Record<string, (body: string) => unknown> = {
  parseActionResponse: (body) => parseActionResponse(body),
  parseDeviceUserResponse: (body) => parseDeviceUserResponse(body, ['SEP000000000001']),
  parseUserDevicesResponse: (body) => parseUserDevicesResponse(body, ['alice']),
  parseDeviceProfileResponse: (body) => parseDeviceProfileResponse(body, ['alice'])
}

function assertBadXml (fn: () => unknown): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof EmapiError, `expected EmapiError, got ${String(error)}`)
    assert.ok(!(error instanceof EmapiFailureError), 'a bad document is not a <failure>')
    assert.equal(error.code, 'EMAPI_BAD_XML')
    return true
  })
}

function assertFailure (fn: () => unknown, emapiCode: number, category: EmapiErrorCategory, cucmText: string, body: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof EmapiFailureError, `expected EmapiFailureError, got ${String(error)}`)
    assert.ok(error instanceof EmapiError)
    assert.equal(error.code, 'EMAPI_FAILURE')
    assert.equal(error.emapiCode, emapiCode)
    assert.equal(error.info.code, emapiCode)
    assert.equal(error.info.category, category)
    assert.equal(error.cucmText, cucmText)
    assert.equal(error.responseBody, body)
    assert.ok(isEmapiFailure(error, emapiCode))
    return true
  })
}

type Expectation =
  | { kind: 'success' }
  | { kind: 'failure', emapiCode: number, category: EmapiErrorCategory, cucmText: string }
  | { kind: 'bad-xml' }
  | { kind: 'device-user', asked: string[], result: DeviceUserStatus[] }
  | { kind: 'user-devices', asked: string[], result: UserDevices[] }
  | { kind: 'device-profile', asked: string[], result: UserDeviceProfiles[] }

const device = (deviceName: string, currentUser: string | null, lastUser: string | null, emcc: boolean | null): DeviceUserStatus =>
  ({ deviceName, exists: true, currentUser, lastUser, emcc })
const missingDevice = (deviceName: string): DeviceUserStatus =>
  ({ deviceName, exists: false, currentUser: null, lastUser: null, emcc: null })

/** One entry per file in fixtures/cisco-samples/: the samples are data too. */
const SAMPLE_EXPECTATIONS: Record<string, Expectation> = {
  'device-profile-results-two-profiles.xml': {
    kind: 'device-profile',
    asked: ['em@cisco.com'],
    result: [{
      userId: 'em@cisco.com',
      exists: true,
      profiles: [{ name: 'EM-SCCP-Profile-7970', isDefault: false }, { name: 'EM-SCCP-7975-Profile', isDefault: false }]
    }]
  },
  'device-profile-results.xml': {
    kind: 'device-profile',
    asked: ['john'],
    result: [{ userId: 'john', exists: true, profiles: [{ name: 'DPJOHNIPC', isDefault: true }] }]
  },
  'device-user-results-empty-real-server.xml': {
    kind: 'device-user',
    asked: ['test_secure'],
    result: [device('test_secure', null, null, false)]
  },
  'device-user-results-encoded-user.xml': {
    kind: 'device-user',
    asked: ['SEP402CF4915265'],
    result: [device('SEP402CF4915265', 'em@cisco.com', 'em', false)]
  },
  'device-user-results-two-children.xml': {
    kind: 'device-user',
    asked: ['SEP003094C25B15'],
    result: [device('SEP003094C25B15', 'one', null, null)]
  },
  'failure-code-3.xml': { kind: 'failure', emapiCode: 3, category: 'configuration', cucmText: "Could not authenticate 'appid'" },
  // Requests are not answers: handed to a response parser they are a wrong root.
  'login-request.xml': { kind: 'bad-xml' },
  'logout-all-request.xml': { kind: 'bad-xml' },
  'success-real-server.xml': { kind: 'success' },
  'user-devices-results-encoded.xml': {
    kind: 'user-devices',
    asked: ['em@cisco.com'],
    result: [{ userId: 'em@cisco.com', exists: true, devices: ['SEP402CF4915265'] }]
  },
  'user-devices-results-two-devices.xml': {
    kind: 'user-devices',
    asked: ['john'],
    result: [{ userId: 'john', exists: true, devices: ['SEP003094C25B15', 'SEP003094C25B49'] }]
  }
}

/** One entry per file in test/fixtures/. `bug` marks a test that fails because of a known src bug. */
const FIXTURE_EXPECTATIONS: Record<string, Expectation & { bug?: string }> = {
  'success-prologue-single-line.xml': { kind: 'success' },
  'success-no-prologue.xml': { kind: 'success' },
  'success-whitespace-heavy.xml': { kind: 'success' },
  'failure-code-3-single-line.xml': { kind: 'failure', emapiCode: 3, category: 'configuration', cucmText: "Could not authenticate 'appid'" },
  'failure-code-10.xml': { kind: 'failure', emapiCode: 10, category: 'configuration', cucmText: 'Proxy not allowed for user appid' },
  'failure-code-18.xml': { kind: 'failure', emapiCode: 18, category: 'conflict', cucmText: 'Another user logged in' },
  'failure-code-19.xml': { kind: 'failure', emapiCode: 19, category: 'already-done', cucmText: 'No user logged in' },
  'failure-code-23.xml': { kind: 'failure', emapiCode: 23, category: 'not-found', cucmText: 'User does not exist' },
  'failure-code-26.xml': { kind: 'failure', emapiCode: 26, category: 'busy', cucmText: 'Busy. Max concurrent login/logout requests reached & queued none' },
  'failure-error-message.xml': { kind: 'failure', emapiCode: 0, category: 'cucm-side', cucmText: 'Query failed: device & user <unknown>' },
  'failure-error-no-code.xml': { kind: 'failure', emapiCode: 0, category: 'cucm-side', cucmText: 'Unknown error in EMService' },
  'device-user-three-children.xml': {
    kind: 'device-user',
    asked: ['SEP003094C25B15'],
    result: [device('SEP003094C25B15', 'john', 'mary', false)]
  },
  'device-user-two-children-last-only.xml': {
    kind: 'device-user',
    asked: ['SEP003094C25B49'],
    result: [device('SEP003094C25B49', null, 'john', null)]
  },
  'device-user-none-none.xml': {
    kind: 'device-user',
    asked: ['SEPAAAABBBBCCCC'],
    result: [device('SEPAAAABBBBCCCC', null, null, null)]
  },
  'device-user-does-not-exist.xml': {
    kind: 'device-user',
    asked: ['SEP111111111111', 'SEPDEADBEEF0000'],
    result: [device('SEP111111111111', 'alice', null, false), missingDevice('SEPDEADBEEF0000')]
  },
  'device-user-many-reordered.xml': {
    kind: 'device-user',
    // Asked in another order and case than answered; one name is not answered at all.
    asked: ['SEP000000000001', 'SEP000000000002', 'sep000000000003', 'SEP000000000004'],
    result: [
      device('sep000000000001', 'alice', 'bob', false),
      device('SEP000000000002', 'bob', null, true),
      device('SEP000000000003', null, 'carol', false),
      missingDevice('SEP000000000004')
    ]
  },
  'device-user-numeric-names-emcc.xml': {
    kind: 'device-user',
    asked: ['007', '0012'],
    result: [device('007', null, null, false), device('0012', '0042', '1e3', true)]
  },
  'device-user-encoded-user-ids.xml': {
    kind: 'device-user',
    asked: ['SEP000000000A01', 'SEP000000000A02', 'SEP000000000A03', 'SEP000000000A04'],
    result: [
      device('SEP000000000A01', 'em@cisco.com', 'José', false),
      device('SEP000000000A02', 'mary ann', '日本', false),
      // Not valid percent-encoding: kept as it came.
      device('SEP000000000A03', '100%zz', '50%', false),
      device('SEP000000000A04', "o'brien+sales", '😀', false)
    ]
  },
  'device-user-entities.xml': {
    kind: 'device-user',
    asked: ['SEP&LAB<1>'],
    result: [device('SEP&LAB<1>', 'r&d<team>', '"q"\'s\'', false)]
  },
  'user-devices-one.xml': {
    kind: 'user-devices',
    asked: ['alice'],
    result: [{ userId: 'alice', exists: true, devices: ['SEP000000000001'] }]
  },
  'user-devices-many.xml': {
    kind: 'user-devices',
    asked: ['ALICE', 'bob', 'Carol', 'dave'],
    result: [
      { userId: 'Alice', exists: true, devices: ['SEP000000000001'] },
      { userId: 'bob', exists: true, devices: [] },
      { userId: 'carol', exists: true, devices: ['SEP00000000C001', 'SEP00000000C002', '0012'] },
      { userId: 'dave', exists: false, devices: [] }
    ]
  },
  'user-devices-none.xml': {
    kind: 'user-devices',
    asked: ['dave'],
    result: [{ userId: 'dave', exists: true, devices: [] }]
  },
  'user-devices-does-not-exist.xml': {
    kind: 'user-devices',
    asked: ['ghost'],
    result: [{ userId: 'ghost', exists: false, devices: [] }]
  },
  'user-devices-encoded-ids.xml': {
    kind: 'user-devices',
    asked: ['em@cisco.com', 'mary ann', '100%zz', 'josé'],
    result: [
      { userId: 'EM@cisco.com', exists: true, devices: ['SEP00000000E003', 'SEP00000000E004'] },
      { userId: 'mary ann', exists: true, devices: [] },
      { userId: '100%zz', exists: true, devices: ['SEP00000000E002'] },
      { userId: 'José', exists: true, devices: ['SEP00000000E001'] }
    ]
  },
  'device-profile-one.xml': {
    kind: 'device-profile',
    asked: ['alice'],
    result: [{ userId: 'alice', exists: true, profiles: [{ name: 'Alice-8865', isDefault: false }] }]
  },
  'device-profile-many.xml': {
    kind: 'device-profile',
    asked: ['Alice', 'BOB', 'ghost', 'nobody'],
    result: [
      { userId: 'alice', exists: true, profiles: [{ name: 'Alice-8865', isDefault: true }] },
      {
        userId: 'bob',
        exists: true,
        profiles: [{ name: 'Bob-7975', isDefault: false }, { name: 'Bob-8865', isDefault: true }, { name: '0012', isDefault: false }]
      },
      { userId: 'ghost', exists: false, profiles: [] },
      { userId: 'nobody', exists: false, profiles: [] }
    ]
  },
  'device-profile-entities.xml': {
    kind: 'device-profile',
    asked: ['r&d'],
    result: [{
      userId: 'r&d',
      exists: true,
      // &amp;lt; is the text "&lt;", decoded once, not twice.
      profiles: [{ name: 'Sales & Support', isDefault: true }, { name: '<Lab> "A" \'B\' &lt;', isDefault: false }]
    }]
  },
  'device-profile-numeric-entities.xml': {
    bug: 'BUG src/emapi/parse.ts htmlEntities:false leaves numeric character references (&#233; &#x65E5;) undecoded',
    kind: 'device-profile',
    asked: ['jose'],
    result: [{ userId: 'jose', exists: true, profiles: [{ name: 'José 日本', isDefault: true }] }]
  },
  'device-profile-numeric-specials.xml': {
    kind: 'device-profile',
    asked: ['r&d'],
    // A reference to & < > " ' is that character as text, and the text "&#233;" stays text.
    result: [{ userId: 'r&d', exists: true, profiles: [{ name: '<Lab> "A" \'B\' &amp; &#233;', isDefault: true }] }]
  },
  'malformed-unclosed.xml': { kind: 'bad-xml' },
  'malformed-mismatched.xml': { kind: 'bad-xml' },
  'malformed-two-roots.xml': { kind: 'bad-xml' },
  'malformed-attribute.xml': { kind: 'bad-xml' },
  'empty.xml': { kind: 'bad-xml' },
  'whitespace-only.xml': { kind: 'bad-xml' },
  'wrong-root-query.xml': { kind: 'bad-xml' },
  'wrong-root-capitalised.xml': { kind: 'bad-xml' },
  'response-neither-success-nor-failure.xml': { kind: 'bad-xml' },
  'tomcat-error-page-404.xml': { kind: 'bad-xml' },
  'tomcat-error-page-503.xml': { kind: 'bad-xml' }
}

function check (body: string, expected: Expectation): void {
  switch (expected.kind) {
    case 'success':
      assert.equal(parseActionResponse(body), undefined)
      // A bare <success/> is not a query answer.
      assertBadXml(() => parseDeviceUserResponse(body, ['SEP1']))
      assertBadXml(() => parseUserDevicesResponse(body, ['alice']))
      assertBadXml(() => parseDeviceProfileResponse(body, ['alice']))
      return
    case 'failure':
      // Queries fail in the same two forms as actions (PROTOCOL.md §3).
      for (const parse of Object.values(PARSERS)) {
        assertFailure(() => parse(body), expected.emapiCode, expected.category, expected.cucmText, body)
      }
      return
    case 'bad-xml':
      for (const parse of Object.values(PARSERS)) assertBadXml(() => parse(body))
      return
    case 'device-user':
      assert.deepEqual(parseDeviceUserResponse(body, expected.asked), expected.result)
      assertBadXml(() => parseActionResponse(body))
      assertBadXml(() => parseUserDevicesResponse(body, ['x']))
      return
    case 'user-devices':
      assert.deepEqual(parseUserDevicesResponse(body, expected.asked), expected.result)
      assertBadXml(() => parseActionResponse(body))
      assertBadXml(() => parseDeviceProfileResponse(body, ['x']))
      return
    case 'device-profile':
      assert.deepEqual(parseDeviceProfileResponse(body, expected.asked), expected.result)
      assertBadXml(() => parseActionResponse(body))
      assertBadXml(() => parseDeviceUserResponse(body, ['x']))
  }
}

describe('Cisco\'s samples (fixtures/cisco-samples/)', () => {
  test('the samples folder resolves and every sample has an expectation', () => {
    const files = xmlFiles(SAMPLES)
    assert.ok(files.length >= 11, `found ${files.length} samples in ${SAMPLES.pathname}`)
    assert.deepEqual(files, Object.keys(SAMPLE_EXPECTATIONS).sort())
  })
  for (const [file, expected] of Object.entries(SAMPLE_EXPECTATIONS)) {
    test(`${file}: ${expected.kind}`, () => check(read(SAMPLES, file), expected))
  }
})

describe('fixtures in test/fixtures/', () => {
  test('every fixture has an expectation, and there are at least 25 documents with the samples', () => {
    const files = xmlFiles(FIXTURES)
    assert.deepEqual(files, Object.keys(FIXTURE_EXPECTATIONS).sort())
    assert.ok(files.length + xmlFiles(SAMPLES).length >= 25)
  })
  for (const [file, { bug, ...expected }] of Object.entries(FIXTURE_EXPECTATIONS)) {
    test(`${bug === undefined ? '' : bug + ': '}${file}: ${expected.kind}`, () => check(fixture(file), expected))
  }
})

describe('parseActionResponse', () => {
  test('accepts a prologue, no prologue and any whitespace', () => {
    for (const body of [
      '<response><success/></response>',
      '<?xml version="1.0"?>\n<response>\n<success/>\n</response>\n',
      '<?xml version="1.0" encoding="UTF-8"?><response><success></success></response>',
      '\n\n  <response>  <success />  </response>  \n',
      // Whitespace, or a byte-order mark, before the prologue (PROTOCOL.md §1: "with any whitespace").
      '\r\n  <?xml version="1.0"?>\n<response>\n<success/>\n</response>\n',
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<response><success/></response>'
    ]) {
      assert.doesNotThrow(() => parseActionResponse(body), body)
    }
  })

  test('a failure with <error code="N"> carries the code, its meaning and CUCM\'s text', () => {
    const body = fixture('failure-code-26.xml')
    try {
      parseActionResponse(body)
      assert.fail('expected a throw')
    } catch (error) {
      assert.ok(error instanceof EmapiFailureError)
      assert.equal(error.name, 'EmapiFailureError')
      assert.equal(error.code, 'EMAPI_FAILURE')
      assert.equal(error.emapiCode, 26)
      assert.equal(error.info.category, 'busy')
      assert.match(error.message, /26/)
      assert.ok(isEmapiFailure(error))
      assert.ok(isEmapiFailure(error, 26))
      assert.ok(!isEmapiFailure(error, 18))
    }
  })

  test('an empty <error code="N"/> still carries the code', () => {
    assertFailure(() => parseActionResponse('<response><failure><error code="19"/></failure></response>'),
      19, 'already-done', '', '<response><failure><error code="19"/></failure></response>')
  })

  test('an empty <failure/> is code 0', () => {
    const body = '<response><failure/></response>'
    assertFailure(() => parseActionResponse(body), 0, 'cucm-side', '', body)
  })

  test('a bad document keeps the body for the audit trail', () => {
    const body = fixture('tomcat-error-page-404.xml')
    try {
      parseActionResponse(body)
      assert.fail('expected a throw')
    } catch (error) {
      assert.ok(error instanceof EmapiError)
      assert.equal(error.code, 'EMAPI_BAD_XML')
      assert.equal(error.responseBody, body)
    }
  })

  test('a <failure> holding only text (no <error>, no <errorMessage>) is code 0 with CUCM\'s words', () => {
    const body = '<response><failure>Could not authenticate \'emapi-app\'</failure></response>'
    for (const parse of Object.values(PARSERS)) assertFailure(() => parse(body), 0, 'cucm-side', 'Could not authenticate \'emapi-app\'', body)
  })

  test('an HTML page (a 200 from a proxy, a portal, Tomcat) is said to be one, with its title', () => {
    for (const [file, title] of [['tomcat-error-page-404.xml', 'HTTP Status 404 – Not Found'], ['tomcat-error-page-503.xml', 'Apache Tomcat/7.0.54 - Error report']]) {
      for (const parse of Object.values(PARSERS)) {
        assert.throws(() => parse(fixture(file ?? '')), (error: unknown) => {
          assert.ok(error instanceof EmapiError && !(error instanceof EmapiFailureError))
          assert.equal(error.code, 'EMAPI_BAD_XML')
          assert.equal(error.message, `CUCM answered with a document EM Console cannot read: it is an HTML page ("${title ?? ''}"), not an EMAPI answer`)
          return true
        }, file)
      }
    }
  })

  test('isEmapiFailure is false for a bad document', () => {
    try {
      parseActionResponse('')
      assert.fail('expected a throw')
    } catch (error) {
      assert.ok(!isEmapiFailure(error))
    }
  })
})

describe('parseDeviceUserResponse', () => {
  const body = fixture('device-user-many-reordered.xml')

  test('matches results to the asked names, not by position', () => {
    const asked = ['SEP000000000003', 'SEP000000000001', 'SEP000000000002']
    const result = parseDeviceUserResponse(body, asked)
    assert.deepEqual(result.map((d) => d.currentUser), [null, 'alice', 'bob'])
    assert.deepEqual(result.map((d) => d.lastUser), ['carol', 'bob', null])
  })

  test('matches names case-insensitively', () => {
    const [a, b] = parseDeviceUserResponse(body, ['SEP000000000001', 'sep000000000002'])
    assert.equal(a?.exists, true)
    assert.equal(a?.currentUser, 'alice')
    assert.equal(b?.exists, true)
    assert.equal(b?.currentUser, 'bob')
  })

  test('returns one result per asked name, in the asked order, missing ones with exists:false', () => {
    const asked = ['SEPNOTANSWERED1', 'SEP000000000002', 'SEPNOTANSWERED2']
    const result = parseDeviceUserResponse(body, asked)
    assert.equal(result.length, 3)
    assert.deepEqual(result[0], missingDevice('SEPNOTANSWERED1'))
    assert.equal(result[1]?.currentUser, 'bob')
    assert.deepEqual(result[2], missingDevice('SEPNOTANSWERED2'))
  })

  test('asking nothing returns nothing', () => {
    assert.deepEqual(parseDeviceUserResponse(body, []), [])
  })

  test('an empty <deviceUserResults/> means every asked device is missing', () => {
    assert.deepEqual(parseDeviceUserResponse('<response><deviceUserResults/></response>', ['SEP1']), [missingDevice('SEP1')])
  })

  test('a device named 0012 stays the string "0012", and so does a user named 0042', () => {
    const [d] = parseDeviceUserResponse(fixture('device-user-numeric-names-emcc.xml'), ['0012'])
    assert.equal(typeof d?.deviceName, 'string')
    assert.equal(d?.deviceName, '0012')
    assert.equal(d?.currentUser, '0042')
    assert.equal(d?.lastUser, '1e3')
    assert.equal(d?.emcc, true)
  })

  test('<doesNotExist/> gives exists:false even though the device was answered', () => {
    const [d] = parseDeviceUserResponse(fixture('device-user-does-not-exist.xml'), ['sepdeadbeef0000'])
    assert.deepEqual(d, missingDevice('SEPDEADBEEF0000'))
  })

  test('the answer to another query is a bad document', () => {
    assertBadXml(() => parseDeviceUserResponse(fixture('user-devices-one.xml'), ['alice']))
  })
})

describe('parseUserDevicesResponse', () => {
  test('matches percent-encoded ids to the raw asked ids case-insensitively, whatever the order', () => {
    const body = fixture('user-devices-encoded-ids.xml')
    const result = parseUserDevicesResponse(body, ['JOSÉ', 'Em@Cisco.Com'])
    assert.deepEqual(result.map((u) => u.devices), [['SEP00000000E001'], ['SEP00000000E003', 'SEP00000000E004']])
  })

  test('an id sent back without encoding is matched too', () => {
    const result = parseUserDevicesResponse('<response><userDevicesResults><user id="em@cisco.com"><deviceName>D1</deviceName></user></userDevicesResults></response>', ['em@cisco.com'])
    assert.deepEqual(result, [{ userId: 'em@cisco.com', exists: true, devices: ['D1'] }])
  })

  test('a literal + survives when CUCM encodes it as %2B', () => {
    const result = parseUserDevicesResponse('<response><userDevicesResults><user id="a%2Bb"><none/></user></userDevicesResults></response>', ['a+b'])
    assert.deepEqual(result, [{ userId: 'a+b', exists: true, devices: [] }])
  })

  test('an id with a + sent back without encoding is matched, and named, as asked', () => {
    // Decoded with form rules "a+b" reads "a b": which one CUCM meant is not known (PROTOCOL.md §3).
    const result = parseUserDevicesResponse('<response><userDevicesResults><user id="a+b"><deviceName>D1</deviceName></user></userDevicesResults></response>', ['A+B', 'a b'])
    assert.deepEqual(result, [{ userId: 'a+b', exists: true, devices: ['D1'] }, { userId: 'a b', exists: true, devices: ['D1'] }])
  })

  test('"a b" and "a+b" asked together each get their own answer, encoded or not, in either order', () => {
    const user = (id: string, device: string): string => `<user id="${id}"><deviceName>${device}</deviceName></user>`
    const answer = (...users: string[]): string => `<response><userDevicesResults>${users.join('')}</userDevicesResults></response>`
    const expected = [{ userId: 'a b', exists: true, devices: ['SEP_SPACE'] }, { userId: 'a+b', exists: true, devices: ['SEP_PLUS'] }]
    // Encoded as java.net.URLEncoder does ("a+b" is "a b", "a%2Bb" is "a+b"), and not at all: an id read as it came beats one decoded, which beats a text that decodes otherwise.
    for (const [encoded, plus, space] of [['java', 'a%2Bb', 'a+b'], ['none', 'a+b', 'a b']]) {
      for (const users of [[user(space ?? '', 'SEP_SPACE'), user(plus ?? '', 'SEP_PLUS')], [user(plus ?? '', 'SEP_PLUS'), user(space ?? '', 'SEP_SPACE')]]) {
        assert.deepEqual(parseUserDevicesResponse(answer(...users), ['a b', 'a+b']), expected, `${encoded}: ${users.join('')}`)
      }
    }
  })

  test('an asked user that is not answered comes back with exists:false', () => {
    assert.deepEqual(parseUserDevicesResponse(fixture('user-devices-one.xml'), ['zed', 'alice']), [
      { userId: 'zed', exists: false, devices: [] },
      { userId: 'alice', exists: true, devices: ['SEP000000000001'] }
    ])
  })

  test('device names are never coerced', () => {
    const [carol] = parseUserDevicesResponse(fixture('user-devices-many.xml'), ['carol'])
    assert.equal(carol?.devices[2], '0012')
  })
})

describe('parseDeviceProfileResponse', () => {
  test('reads t/f flags and keeps profile order', () => {
    const [bob] = parseDeviceProfileResponse(fixture('device-profile-many.xml'), ['bob'])
    assert.deepEqual(bob?.profiles.map((p) => p.isDefault), [false, true, false])
    assert.equal(bob?.profiles[2]?.name, '0012')
  })

  test('matches a percent-encoded user id to the raw asked id', () => {
    const [user] = parseDeviceProfileResponse(read(SAMPLES, 'device-profile-results-two-profiles.xml'), ['EM@CISCO.COM'])
    assert.equal(user?.exists, true)
    assert.equal(user?.profiles.length, 2)
  })
})
