import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CLUSTER_ID, fieldProblem, SCHEDULE_NAME, shortProblem } from '../src/field-rules.ts'

test('a first character that is not allowed is quoted whole: an emoji, not half of its surrogate pair', () => {
  assert.equal(shortProblem(CLUSTER_ID, '💥'), 'it starts with "💥"')
  assert.equal(fieldProblem(CLUSTER_ID, '💥-emea'), 'Id: letters, digits and dash, starting with a letter or digit; up to 40 characters. It starts with "💥".')
  assert.equal(shortProblem(SCHEDULE_NAME, '-nightly'), 'it starts with "-"')
})
