import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { describeEmapiCode, EMAPI_CODES, EmapiFailureError, type EmapiErrorCategory } from '../src/emapi/index.ts'

const CATEGORIES = new Set<EmapiErrorCategory>(['configuration', 'not-found', 'conflict', 'busy', 'already-done', 'cucm-side', 'bug'])

describe('EMAPI error catalogue', () => {
  test('lists every code 0-47, in order', () => {
    assert.equal(EMAPI_CODES.length, 48)
    EMAPI_CODES.forEach((info, i) => assert.equal(info.code, i))
  })

  for (let code = 0; code <= 47; code++) {
    test(`code ${code} has a message, a known category and an action`, () => {
      const info = describeEmapiCode(code)
      assert.equal(info.code, code)
      assert.equal(typeof info.message, 'string')
      assert.ok(info.message.trim().length > 0)
      assert.equal(typeof info.action, 'string')
      assert.ok(info.action.trim().length > 0)
      assert.ok(CATEGORIES.has(info.category), info.category)
      assert.deepEqual(EMAPI_CODES[code], info)
    })
  }

  const expected: Array<[EmapiErrorCategory, number[]]> = [
    ['configuration', [2, 3, 10, 27, 28, 30]],
    ['already-done', [19]],
    ['busy', [26]],
    ['not-found', [11, 12, 23]],
    ['conflict', [18, 25]],
    ['bug', [1, 8]]
  ]
  for (const [category, codes] of expected) {
    test(`${codes.join(', ')} are ${category}`, () => {
      for (const code of codes) assert.equal(describeEmapiCode(code).category, category, `code ${code}`)
    })
  }

  test('no other code is already-done, busy, conflict or bug', () => {
    const special = new Map(expected.flatMap(([category, codes]) => codes.map((c) => [c, category] as const)))
    for (const info of EMAPI_CODES) {
      if (!special.has(info.code)) assert.equal(info.category, 'cucm-side', `code ${info.code}`)
    }
  })

  test('code 10 names the group "Standard EM Authentication Proxy Rights"', () => {
    assert.match(describeEmapiCode(10).action, /Standard EM Authentication Proxy Rights/)
  })

  test('code 3 says which setting to fix', () => {
    assert.match(describeEmapiCode(3).action, /CUCM_APP_USER|CUCM_APP_PASSWORD/)
  })

  test('codes 31-47 are Extension Mobility Cross Cluster errors, but 34, which appears in no source (PROTOCOL.md §4)', () => {
    const unlisted = describeEmapiCode(34)
    assert.equal(unlisted.telling, false)
    assert.match(unlisted.message, /Undocumented EMAPI error 34/)
    for (let code = 31; code <= 47; code++) {
      if (code === 34) continue
      const info = describeEmapiCode(code)
      assert.match(info.message, /Cross Cluster/, `code ${code}`)
      assert.match(info.message, new RegExp(`\\b${code}\\b`))
    }
  })

  test('an undocumented code still gets an entry', () => {
    for (const code of [48, 99, 1000, -1]) {
      const info = describeEmapiCode(code)
      assert.equal(info.code, code)
      assert.equal(info.category, 'cucm-side')
      assert.ok(info.message.includes(String(code)))
      assert.ok(info.action.length > 0)
    }
  })

  test('EmapiFailureError carries the catalogue entry', () => {
    const error = new EmapiFailureError(25, 'User logged in elsewhere', '<response/>')
    assert.deepEqual(error.info, describeEmapiCode(25))
    assert.equal(error.code, 'EMAPI_FAILURE')
    assert.equal(error.cucmText, 'User logged in elsewhere')
    assert.equal(error.responseBody, '<response/>')
  })
})
