import assert from 'node:assert/strict'
import { test } from 'node:test'
import { clusterText, outcomeCounts, outcomeCountsText, phoneOfMac, runItemOutcomeLabel, runItemsNoun, selectionWords, shortRunId, utcText } from '../src/display.ts'

test('a run\'s counts in words: labels, not API keys, in the labels\' order; an outcome of a newer server as sent', () => {
  assert.equal(outcomeCountsText({ counts: { 'not-found': 1, success: 2, empty: 0, 'shiny-new': 3 } }), '2 success, 1 unknown device, 3 shiny-new')
  assert.equal(outcomeCountsText({ counts: {} }), '')
})

test('a run\'s counts in words write each number as the caller formats counts: the dashboard groups thousands', () => {
  const grouped = (count: number) => count.toLocaleString('en-US')
  assert.equal(outcomeCountsText({ counts: { success: 210, 'not-found': 4000, empty: 490 } }, grouped), '210 success, 4,000 unknown devices, 490 nobody to log out')
  assert.equal(outcomeCountsText({ counts: { 'not-found': 4000 } }), '4000 unknown devices')
})

test('an item says whether it is about a device or a user, and the counts say it as the items do', () => {
  assert.equal(runItemOutcomeLabel({ outcome: 'not-found', device: 'SEP001122334455' }), 'Unknown device')
  assert.equal(runItemOutcomeLabel({ outcome: 'not-found', device: '' }), 'Unknown user')
  assert.equal(runItemOutcomeLabel({ outcome: 'empty', device: '' }), 'Logged in nowhere')
  assert.equal(runItemOutcomeLabel({ outcome: 'empty', device: 'SEP001122334455' }), 'Nobody to log out')
  // A run of users: of its 3 not found, 2 are users; of its 2 empty, 1 is a user.
  const run = { total: 9, counts: { success: 4, 'not-found': 3, empty: 2 }, userCounts: { 'not-found': 2, empty: 1 } }
  assert.deepEqual(outcomeCounts(run).map(({ label, count }) => [label, count]),
    [['Success', 4], ['Unknown device', 1], ['Unknown user', 2], ['Nobody to log out', 1], ['Logged in nowhere', 1]])
  assert.equal(outcomeCountsText(run), '4 success, 1 unknown device, 2 unknown users, 1 nobody to log out, 1 logged in nowhere')
})

test('a run\'s items are devices, users or both, as it holds them', () => {
  assert.deepEqual(runItemsNoun({ total: 3 }), { one: 'device', many: 'devices' })
  assert.deepEqual(runItemsNoun({ total: 2, userCounts: { 'not-found': 2 } }), { one: 'user', many: 'users' })
  assert.deepEqual(runItemsNoun({ total: 3, userCounts: { 'not-found': 1 } }), { one: 'device or user', many: 'devices and users' })
})

test('times and run ids as messages say them', () => {
  assert.equal(utcText('2026-12-03T17:00:45.673Z'), '2026-12-03 17:00:45 UTC')
  assert.equal(utcText('2026-12-03T17:00:45Z'), '2026-12-03 17:00:45 UTC')
  assert.equal(shortRunId('f0cd7381-0b80-48b1-b706-b00daafe09b9'), 'f0cd7381')
})

test('a selection\'s age in words as it was given: hours, or the CLI\'s minutes in hours and minutes, never a float\'s digits', () => {
  assert.equal(selectionWords({ olderThanHours: 12 }), 'logged in for more than 12 h')
  assert.equal(selectionWords({ olderThanHours: 1.5, devicePool: ['DP_OSLO'] }), 'logged in for more than 1.5 h on DP_OSLO')
  assert.equal(selectionWords({ olderThanHours: 0.25 }), 'logged in for more than 0.25 h')
  // em-console logout --older-than 4000m, 10m, 90m
  assert.equal(selectionWords({ olderThanHours: 4000 / 60 }), 'logged in for more than 66 h 40 min')
  assert.equal(selectionWords({ olderThanHours: 10 / 60 }), 'logged in for more than 10 min')
  assert.equal(selectionWords({ olderThanHours: 90 / 60 }), 'logged in for more than 1.5 h')
  // Typed in hours (the API, the Sessions screen), not whole minutes: as typed.
  assert.equal(selectionWords({ olderThanHours: 1.2345 }), 'logged in for more than 1.2345 h')
})

test('a selection\'s words name each filter as what it filters: a run\'s title says whose sessions it chose', () => {
  assert.equal(selectionWords({ user: 'jd', device: 'SEP00', model: 'Cisco 8845', q: 'lobby', cluster: 'hq' }, (id) => id.toUpperCase()),
    'in cluster HQ on Cisco 8845 phones users jd… devices SEP00… matching "lobby"')
  assert.equal(selectionWords({ devicePool: [] }), '')
})

test('a cluster in words: its name; its id beside it only when another cluster has that name; an id in any case', () => {
  const clusters = [{ id: 'hq', name: 'Oslo' }, { id: 'branch', name: 'oslo' }, { id: 'lab', name: 'lab' }, { id: 'dr', name: 'lab' }]
  assert.equal(clusterText('HQ', clusters), 'Oslo (hq)')
  assert.equal(clusterText('lab', clusters), 'lab')
  assert.equal(clusterText('dr', clusters), 'lab (dr)')
  assert.equal(clusterText('gone', clusters), 'gone')
  assert.equal(clusterText('hq', [{ id: 'hq', name: 'Oslo' }]), 'Oslo')
})

test('a MAC address is read as its phone\'s name as CUCM spells it (SEP and upper case); anything else is not a MAC address', () => {
  assert.equal(phoneOfMac('00:1a:2b:3c:4d:5e'), 'SEP001A2B3C4D5E')
  assert.equal(phoneOfMac('001a.2b3c.4d5e'), 'SEP001A2B3C4D5E')
  assert.equal(phoneOfMac('001a2b3c4d5e'), 'SEP001A2B3C4D5E')
  for (const entry of ['00:1a-2b:3c:4d:5e', '001a2b3c4d5', 'SEP001A2B3C4D5E', '00:1a:2b:3c:4d:5g']) assert.equal(phoneOfMac(entry), undefined, entry)
})
