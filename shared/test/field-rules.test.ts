import assert from 'node:assert/strict'
import { test } from 'node:test'
import { APP_PASSWORD, AXL_VERSION, CLUSTER_ID, fieldProblem, patternOf, SCHEDULE_NAME, shortProblem } from '../src/field-rules.ts'

test('a first character that is not allowed is quoted whole: an emoji, not half of its surrogate pair', () => {
  assert.equal(shortProblem(CLUSTER_ID, '💥'), 'it starts with "💥"')
  assert.equal(fieldProblem(CLUSTER_ID, '💥-emea'), 'Id: letters, digits and dash, starting with a letter or digit; up to 40 characters. It starts with "💥".')
  assert.equal(shortProblem(SCHEDULE_NAME, '-nightly'), 'it starts with "-"')
})

test('a password sent to CUCM may hold tab and line breaks, not what XML cannot carry', () => {
  const pattern = new RegExp(patternOf(APP_PASSWORD))
  for (const password of ['tab\there', 'two\r\nlines', 'pâss 💥']) {
    assert.equal(shortProblem(APP_PASSWORD, password), undefined, password)
    assert.ok(pattern.test(password), password)
  }
  assert.equal(shortProblem(APP_PASSWORD, 'p\u0001'), '"U+0001" is not allowed (it cannot be sent to CUCM in XML)')
  assert.ok(!pattern.test('p\u0001'))
})

test('an AXL version has a form: what is wrong with one says so, quoting it', () => {
  const pattern = new RegExp(patternOf(AXL_VERSION))
  for (const version of ['14.0', '8.5']) {
    assert.equal(shortProblem(AXL_VERSION, version), undefined, version)
    assert.ok(pattern.test(version), version)
  }
  assert.equal(shortProblem(AXL_VERSION, 'a b'), '"a b" is not of that form')
  assert.equal(shortProblem(AXL_VERSION, '14'), '"14" is not of that form')
  assert.equal(shortProblem(AXL_VERSION, '1'.repeat(300)), '300 characters, 296 too many')
})
