import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { decodeUserId, encodeUserIdLikeJava, escapeXml, secretRedactor } from '../src/emapi/index.ts'

describe('encodeUserIdLikeJava', () => {
  // Outputs of java.net.URLEncoder.encode(s, "UTF-8").
  const java: Array<[string, string]> = [
    ['john', 'john'],
    ['em@cisco.com', 'em%40cisco.com'],
    ['mary ann', 'mary+ann'],
    ['a+b', 'a%2Bb'],
    ['100%', '100%25'],
    ['José', 'Jos%C3%A9'],
    ['日本', '%E6%97%A5%E6%9C%AC'],
    ['😀', '%F0%9F%98%80'],
    ['a*b', 'a*b'],
    ['.-_*', '.-_*'],
    ['~', '%7E'],
    ["!'()", '%21%27%28%29'],
    ['a/b?c=d&e#f', 'a%2Fb%3Fc%3Dd%26e%23f'],
    ['<>"', '%3C%3E%22'],
    ['DOMAIN\\user', 'DOMAIN%5Cuser'],
    ['tab\t', 'tab%09'],
    ['', '']
  ]
  for (const [raw, encoded] of java) {
    test(`${JSON.stringify(raw)} → ${JSON.stringify(encoded)}`, () => {
      assert.equal(encodeUserIdLikeJava(raw), encoded)
    })
  }

  test('hex digits are upper-case', () => {
    const encoded = encodeUserIdLikeJava('é~ÿ\u00ad{|}[]^`')
    assert.doesNotMatch(encoded, /%[0-9A-F]?[a-f]/)
    assert.match(encoded, /^(%[0-9A-F]{2})+$/)
  })

  test('output uses only letters, digits, . - * _ + and %XX', () => {
    let all = ''
    for (let c = 0x20; c < 0x7f; c++) all += String.fromCharCode(c)
    assert.match(encodeUserIdLikeJava(all + 'ßØ€日本😀'), /^([A-Za-z0-9.*_+-]|%[0-9A-F]{2})*$/)
  })
})

describe('decodeUserId', () => {
  const roundTrip = [
    'john', 'em@cisco.com', 'mary ann', 'a+b', '100%', '50% off', 'José', 'Zoë Ünal', '日本 太郎', '😀🎉',
    '~!*\'()', 'a/b?c=d&e#f', '<script>', '%41', '+', ' ', '%', 'DOMAIN\\user', ''
  ]
  for (const userId of roundTrip) {
    test(`round trip ${JSON.stringify(userId)}`, () => {
      assert.equal(decodeUserId(encodeUserIdLikeJava(userId)), userId)
    })
  }

  test('form rules: + is a space, %XX is UTF-8', () => {
    assert.equal(decodeUserId('mary+ann'), 'mary ann')
    assert.equal(decodeUserId('em%40cisco.com'), 'em@cisco.com')
    assert.equal(decodeUserId('Jos%C3%A9'), 'José')
    assert.equal(decodeUserId('jos%c3%a9'), 'josé')
    assert.equal(decodeUserId('a%2Bb'), 'a+b')
    assert.equal(decodeUserId('%F0%9F%98%80'), '😀')
  })

  test('text that is not already encoded passes through', () => {
    assert.equal(decodeUserId('john'), 'john')
    assert.equal(decodeUserId('em@cisco.com'), 'em@cisco.com')
    assert.equal(decodeUserId('José'), 'José')
  })

  test('text with a character no encoder writes (a space, @, &, é) was not encoded: a + or %XX in it is itself', () => {
    for (const raw of ['jo+anne smith', 'em+1@cisco.com', 'R&D+ops', 'josé+1', '50%41 off']) {
      assert.equal(decodeUserId(raw), raw)
    }
  })

  test('invalid percent-encoding is kept raw', () => {
    for (const raw of ['100%zz', '%', '50%', '%E9', '%C3', '%C3%28', 'a%2']) {
      assert.equal(decodeUserId(raw), raw)
    }
  })
})

describe('escapeXml', () => {
  test('escapes the five special characters and nothing else', () => {
    assert.equal(escapeXml('& < > " \''), '&amp; &lt; &gt; &quot; &apos;')
    assert.equal(escapeXml('&amp;'), '&amp;amp;')
    assert.equal(escapeXml('José 日本 😀 ]]'), 'José 日本 😀 ]]')
    assert.equal(escapeXml(''), '')
  })

  test('refuses what XML cannot carry, which CUCM would refuse the whole document for', () => {
    for (const [value, named] of [['ff\uffffx', 'U+FFFF'], ['\ufffe', 'U+FFFE'], ['lone\ud800x', 'U+D800'], ['x\udc00', 'U+DC00'], ['nul\u0000', 'U+0'], ['bell\u0007', 'U+7']]) {
      assert.throws(() => escapeXml(value as string), (error: Error) => error instanceof RangeError && error.message.includes(named as string), JSON.stringify(value))
    }
    assert.equal(escapeXml('\ud83d\ude00 \ufffd'), '😀 \ufffd', 'a whole surrogate pair and U+FFFD are fine')
    assert.equal(escapeXml('tab\tline\nreturn\r'), 'tab\tline\nreturn\r', 'tab and line breaks are XML')
  })
})

describe('secretRedactor', () => {
  const password = 'Pa ss<&>"\'é+1'
  const redact = secretRedactor([password, 'dXNlcjpwYXNz'])
  test('masks a secret as sent, XML-escaped, and percent- or form-encoded (of either)', () => {
    const escaped = 'Pa ss&lt;&amp;&gt;&quot;&apos;é+1'
    for (const form of [password, escaped, encodeURIComponent(password), new URLSearchParams({ x: password }).toString().slice(2), encodeURIComponent(escaped), new URLSearchParams({ x: escaped }).toString().slice(2)]) {
      assert.equal(redact(`before ${form} after`), 'before ******** after', form)
    }
    assert.equal(redact('Authorization: Basic dXNlcjpwYXNz'), 'Authorization: Basic ********')
    // Escaped by number, as some XML writers escape quotes and the rest.
    for (const form of ['Pa ss&lt;&amp;&gt;&quot;&#39;é+1', 'Pa ss&#60;&#38;&#62;&#34;&#39;é+1', 'Pa ss&#x3c;&#x26;&#x3e;&#x22;&#x27;é+1', 'Pa ss&#x3C;&#x26;&#x3E;&#x22;&#x27;é+1']) {
      assert.equal(redact(`<error>${form}</error>`), '<error>********</error>', form)
    }
  })
  test('masks the start of a secret where a quote was cut in its middle (a page\'s title cut at 100 characters)', () => {
    assert.equal(redact(`CUCM answered HTTP 500: Error xml=<appCertificate>${encodeURIComponent(password).slice(0, 9)}…. The service`), 'CUCM answered HTTP 500: Error xml=<appCertificate>********…. The service')
    assert.equal(redact('title: Pa …'), 'title: Pa …', 'three characters are left: common text')
    assert.equal(redact(`title: ${password.slice(0, 4)}…`), 'title: ********…', 'four characters are masked: the shortest start of a password that is not common text')
    assert.equal(redact('a cut… of other text'), 'a cut… of other text')
    // Each cut of a text looked at, the password's start before either.
    assert.equal(redact(`${password.slice(0, 6)}… and Pa ss&lt;&am…`), '********… and ********…')
  })
  test('leaves other text alone, and masks nothing for an empty secret', () => {
    assert.equal(redact('<failure><error code="3">Invalid password</error></failure>'), '<failure><error code="3">Invalid password</error></failure>')
    assert.equal(secretRedactor([''])('any text'), 'any text')
  })
})
