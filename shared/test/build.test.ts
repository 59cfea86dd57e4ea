import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import {
  buildDeviceProfileQuery,
  buildDeviceUserQuery,
  buildLogin,
  buildLogout,
  buildLogoutAll,
  buildUserDevicesQuery,
  maskPassword,
  toFormBody,
  type EmapiCredentials
} from '../src/emapi/index.ts'

const SAMPLES = new URL('./fixtures/cisco-samples/', import.meta.url)
const sample = (file: string): string => readFileSync(new URL(file, SAMPLES), 'utf8')

const creds: EmapiCredentials = { appUser: 'appid', appPassword: 'apppasswd' }
const APP_INFO = '<appInfo><appID>appid</appID><appCertificate>apppasswd</appCertificate></appInfo>'

/** An independent reader: what CUCM's XML parser would see. trimValues off so spaces count. */
const roundTrip = new XMLParser({
  processEntities: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => name === 'deviceName' || name === 'userID'
})
/** For comparing with the pretty-printed samples, where the indentation is not data. */
const structural = new XMLParser({ processEntities: true, parseTagValue: false })
/** Keeps children in document order, to check the DTD's sequence. */
const ordered = new XMLParser({ preserveOrder: true, processEntities: true, parseTagValue: false })

type OrderedNode = Record<string, unknown>

function childNames (nodes: unknown, path: string[]): string[] {
  let level = nodes as OrderedNode[]
  for (const name of path) {
    const next = level.find((n) => name in n)
    assert.ok(next, `no <${name}>`)
    level = next[name] as OrderedNode[]
  }
  return level.map((n) => Object.keys(n).find((k) => k !== ':@') ?? '')
}

function assertWellFormed (xml: string): void {
  assert.equal(XMLValidator.validate(xml), true, xml)
}

describe('buildLogin', () => {
  test('with a profile and minutes matches the Cisco sample', () => {
    const xml = buildLogin(creds, {
      deviceName: 'SEP003094C25B15',
      userId: 'john',
      deviceProfile: 'UserDevProf',
      exclusiveDuration: { minutes: 60 }
    })
    assert.equal(xml, `<request>${APP_INFO}<login><deviceName>SEP003094C25B15</deviceName><userID>john</userID>` +
      '<deviceProfile>UserDevProf</deviceProfile><exclusiveDuration><time>60</time></exclusiveDuration></login></request>')
    assert.deepEqual(structural.parse(xml), structural.parse(sample('login-request.xml')))
  })

  test('element order follows the DTD: appInfo, then deviceName, userID, deviceProfile?, exclusiveDuration?', () => {
    const xml = buildLogin(creds, { deviceName: 'SEP1', userId: 'u', deviceProfile: 'P', exclusiveDuration: 'indefinite' })
    const doc = ordered.parse(xml)
    assert.deepEqual(childNames(doc, []), ['request'])
    assert.deepEqual(childNames(doc, ['request']), ['appInfo', 'login'])
    assert.deepEqual(childNames(doc, ['request', 'appInfo']), ['appID', 'appCertificate'])
    assert.deepEqual(childNames(doc, ['request', 'login']), ['deviceName', 'userID', 'deviceProfile', 'exclusiveDuration'])
    assert.deepEqual(childNames(doc, ['request', 'login', 'exclusiveDuration']), ['indefinite'])
  })

  test('without a profile there is no <deviceProfile> (CUCM uses the default profile)', () => {
    for (const deviceProfile of [undefined, '']) {
      const xml = buildLogin(creds, { deviceName: 'SEP1', userId: 'u', deviceProfile })
      assert.equal(xml, `<request>${APP_INFO}<login><deviceName>SEP1</deviceName><userID>u</userID></login></request>`)
    }
  })

  test('exclusiveDuration in minutes goes in <time>', () => {
    const xml = buildLogin(creds, { deviceName: 'SEP1', userId: 'u', exclusiveDuration: { minutes: 480 } })
    assert.match(xml, /<login><deviceName>SEP1<\/deviceName><userID>u<\/userID><exclusiveDuration><time>480<\/time><\/exclusiveDuration><\/login>/)
    const doc = ordered.parse(xml)
    assert.deepEqual(childNames(doc, ['request', 'login']), ['deviceName', 'userID', 'exclusiveDuration'])
    assert.deepEqual(childNames(doc, ['request', 'login', 'exclusiveDuration']), ['time'])
  })

  test("exclusiveDuration 'indefinite' is <indefinite/>", () => {
    const xml = buildLogin(creds, { deviceName: 'SEP1', userId: 'u', exclusiveDuration: 'indefinite' })
    assert.match(xml, /<exclusiveDuration><indefinite\/><\/exclusiveDuration><\/login><\/request>$/)
    assert.doesNotMatch(xml, /<time>/)
  })
})

describe('buildLogout and buildLogoutAll', () => {
  test('logout is keyed by device', () => {
    assert.equal(buildLogout(creds, 'SEP003094C25B15'),
      `<request>${APP_INFO}<logout><deviceName>SEP003094C25B15</deviceName></logout></request>`)
  })

  test('logoutAll sits under <request>, never <query>, and matches the Cisco sample', () => {
    const xml = buildLogoutAll(creds)
    assert.equal(xml, `<request>${APP_INFO}<logoutAll></logoutAll></request>`)
    assert.doesNotMatch(xml, /<query>/)
    assert.deepEqual(structural.parse(xml), structural.parse(sample('logout-all-request.xml')))
    assert.deepEqual(childNames(ordered.parse(xml), ['request']), ['appInfo', 'logoutAll'])
  })
})

describe('queries', () => {
  const names = Array.from({ length: 60 }, (_, i) => `SEP${String(i).padStart(12, '0')}`)

  test('buildDeviceUserQuery puts every name in its own <deviceName>, in order', () => {
    const xml = buildDeviceUserQuery(creds, names)
    assert.ok(xml.startsWith(`<query>${APP_INFO}<deviceUserQuery><deviceName>SEP000000000000</deviceName>`))
    assert.ok(xml.endsWith('<deviceName>SEP000000000059</deviceName></deviceUserQuery></query>'))
    assert.deepEqual(roundTrip.parse(xml).query.deviceUserQuery.deviceName, names)
    assert.deepEqual(childNames(ordered.parse(xml), ['query']), ['appInfo', 'deviceUserQuery'])
  })

  test('buildDeviceUserQuery keeps 0012 as written', () => {
    assert.match(buildDeviceUserQuery(creds, ['0012']), /<deviceName>0012<\/deviceName>/)
  })

  test('buildUserDevicesQuery uses <userDevicesQuery><userID>', () => {
    const xml = buildUserDevicesQuery(creds, ['alice', 'bob'])
    assert.equal(xml, `<query>${APP_INFO}<userDevicesQuery><userID>alice</userID><userID>bob</userID></userDevicesQuery></query>`)
  })

  test('buildDeviceProfileQuery uses <deviceProfileQuery>, not userDeviceProfileQuery', () => {
    const xml = buildDeviceProfileQuery(creds, ['alice', 'em@cisco.com'])
    assert.equal(xml, `<query>${APP_INFO}<deviceProfileQuery><userID>alice</userID><userID>em@cisco.com</userID></deviceProfileQuery></query>`)
  })

  test('user IDs go raw in requests, not percent-encoded (PROTOCOL.md §3)', () => {
    assert.match(buildUserDevicesQuery(creds, ['José Ö+1@x']), /<userID>José Ö\+1@x<\/userID>/)
  })
})

describe('toFormBody', () => {
  test('is one form field named xml holding the whole document', () => {
    const xml = buildLogin({ appUser: 'app&user=1', appPassword: 'p+w&x=y%20 z' }, { deviceName: 'SEP1', userId: 'u' })
    const body = toFormBody(xml)
    assert.ok(body.startsWith('xml=%3Crequest%3E'))
    const params = new URLSearchParams(body)
    assert.deepEqual([...params.keys()], ['xml'])
    assert.equal(params.get('xml'), xml)
  })

  test('non-ASCII is UTF-8 percent-encoded, so the body is ASCII and its length is its byte count', () => {
    const xml = buildLogin(creds, { deviceName: 'SEP1', userId: 'José 日本 😀' })
    const body = toFormBody(xml)
    assert.match(body, /^[\x21-\x7e]*$/)
    assert.ok(body.includes('Jos%C3%A9+%E6%97%A5%E6%9C%AC+%F0%9F%98%80'), body)
    assert.equal(Buffer.byteLength(body, 'utf8'), body.length)
    assert.equal(new URLSearchParams(body).get('xml'), xml)
    // The document itself is longer in bytes than in UTF-16 units: the bug of one public client.
    assert.ok(Buffer.byteLength(xml, 'utf8') > xml.length)
  })
})

describe('maskPassword', () => {
  const secret = 's3cr&t<>"\'p'

  test('hides the password in every builder output and keeps the rest', () => {
    const c = { appUser: 'appid', appPassword: secret }
    for (const xml of [
      buildLogin(c, { deviceName: 'SEP1', userId: 'u' }),
      buildLogout(c, 'SEP1'),
      buildLogoutAll(c),
      buildDeviceUserQuery(c, ['SEP1']),
      buildUserDevicesQuery(c, ['u']),
      buildDeviceProfileQuery(c, ['u'])
    ]) {
      const masked = maskPassword(xml)
      assert.match(masked, /<appCertificate>\*{8}<\/appCertificate>/)
      assert.ok(!masked.includes('s3cr'), masked)
      assert.ok(!masked.includes('&amp;t'), masked)
      assert.ok(masked.includes('<appID>appid</appID>'))
      assert.equal(masked.replace('<appCertificate>********</appCertificate>', ''), xml.replace(/<appCertificate>.*<\/appCertificate>/, ''))
      assertWellFormed(masked)
    }
  })

  test('masks an empty password and the pretty-printed sample; is idempotent', () => {
    assert.equal(maskPassword(buildLogoutAll({ appUser: 'a', appPassword: '' })),
      '<request><appInfo><appID>a</appID><appCertificate>********</appCertificate></appInfo><logoutAll></logoutAll></request>')
    const masked = maskPassword(sample('login-request.xml'))
    assert.ok(!masked.includes('apppasswd'))
    assert.equal(maskPassword(masked), masked)
  })
})

describe('round trip through an XML parser', () => {
  const nasty = [
    'plain',
    '& < > " \'',
    'a&amp;b',
    '&lt;already-escaped&gt;',
    '</userID><logoutAll/>',
    '</appCertificate></appInfo><logoutAll></logoutAll><appInfo><appCertificate>',
    '<![CDATA[x]]>',
    ']]>',
    '&xxe;',
    '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    '<?xml version="1.0"?>',
    '<!-- comment -->',
    'José',
    '日本',
    '😀 emoji',
    'tab\there',
    ' leading and trailing '
  ]

  for (const value of nasty) {
    test(`${JSON.stringify(value)} comes back unchanged from every builder`, () => {
      const c = { appUser: value, appPassword: value }
      const login = buildLogin(c, { deviceName: value, userId: value, deviceProfile: value, exclusiveDuration: { minutes: 5 } })
      const docs = {
        login,
        logout: buildLogout(c, value),
        logoutAll: buildLogoutAll(c),
        deviceUser: buildDeviceUserQuery(c, [value, value]),
        userDevices: buildUserDevicesQuery(c, [value]),
        deviceProfile: buildDeviceProfileQuery(c, [value])
      }
      for (const xml of Object.values(docs)) assertWellFormed(xml)

      const l = roundTrip.parse(docs.login)
      assert.deepEqual(l, {
        request: {
          appInfo: { appID: value, appCertificate: value },
          login: { deviceName: [value], userID: [value], deviceProfile: value, exclusiveDuration: { time: '5' } }
        }
      })
      // An injected element must not appear in the structure, in document order either.
      assert.deepEqual(childNames(ordered.parse(docs.login), ['request']), ['appInfo', 'login'])
      assert.deepEqual(childNames(ordered.parse(docs.login), ['request', 'login']), ['deviceName', 'userID', 'deviceProfile', 'exclusiveDuration'])

      assert.deepEqual(roundTrip.parse(docs.logout), { request: { appInfo: { appID: value, appCertificate: value }, logout: { deviceName: [value] } } })
      assert.deepEqual(roundTrip.parse(docs.logoutAll), { request: { appInfo: { appID: value, appCertificate: value }, logoutAll: '' } })
      assert.deepEqual(roundTrip.parse(docs.deviceUser).query.deviceUserQuery, { deviceName: [value, value] })
      assert.deepEqual(roundTrip.parse(docs.userDevices).query.userDevicesQuery, { userID: [value] })
      assert.deepEqual(roundTrip.parse(docs.deviceProfile).query.deviceProfileQuery, { userID: [value] })
      assert.equal(maskPassword(docs.login).includes('<appCertificate>********</appCertificate>'), true)
    })
  }
})
