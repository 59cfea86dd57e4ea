import assert from 'node:assert/strict'
import { test } from 'node:test'
import { outcomeCountsText, runItemOutcomeLabel, shortRunId, utcText } from '../src/display.ts'

test('a run\'s counts in words: labels, not API keys, in the labels\' order; an outcome of a newer server as sent', () => {
  assert.equal(outcomeCountsText({ 'not-found': 1, success: 2, empty: 0, 'shiny-new': 3 }), '2 success, 1 not found, 3 shiny-new')
  assert.equal(outcomeCountsText({}), '')
})

test('a run\'s counts in words write each number as the caller formats counts: the dashboard groups thousands', () => {
  const grouped = (count: number) => count.toLocaleString('en-US')
  assert.equal(outcomeCountsText({ success: 210, 'not-found': 4000, empty: 490 }, grouped), '210 success, 4,000 not found, 490 nobody to log out')
  assert.equal(outcomeCountsText({ 'not-found': 4000 }), '4000 not found')
})

test('an item says whether it is about a device or a user; the counts say "not found" for both', () => {
  assert.equal(runItemOutcomeLabel({ outcome: 'not-found', device: 'SEP001122334455' }), 'Unknown device')
  assert.equal(runItemOutcomeLabel({ outcome: 'not-found', device: '' }), 'Unknown user')
  assert.equal(runItemOutcomeLabel({ outcome: 'empty', device: '' }), 'Logged in nowhere')
  assert.equal(runItemOutcomeLabel({ outcome: 'empty', device: 'SEP001122334455' }), 'Nobody to log out')
})

test('times and run ids as messages say them', () => {
  assert.equal(utcText('2026-12-03T17:00:45.673Z'), '2026-12-03 17:00:45 UTC')
  assert.equal(utcText('2026-12-03T17:00:45Z'), '2026-12-03 17:00:45 UTC')
  assert.equal(shortRunId('f0cd7381-0b80-48b1-b706-b00daafe09b9'), 'f0cd7381')
})
