import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { RunItem, RunSummary } from '@em-console/shared/schemas'
import { spreadsheetTime } from '@em-console/shared/rules'
import { readRunCsv } from '../src/runs/csv.ts'
import { runResultsCsv } from '../src/runs/results-csv.ts'

const RUN: RunSummary = {
  id: '0b5c7a2e-1111-4222-8333-944445555666',
  action: 'logout',
  title: 'Bulk logout',
  state: 'done',
  trigger: 'ui',
  actor: 'demo',
  parentRunId: null,
  selection: null,
  createdAt: '2026-11-01T08:00:00.000Z',
  startedAt: '2026-11-01T08:00:00.100Z',
  finishedAt: '2026-11-01T08:00:02.000Z',
  verifyAt: null,
  verifiedAt: null,
  verifyError: null,
  recheck: null,
  total: 2,
  counts: { success: 1, 'already-logged-out': 1 }
}

const ITEMS: RunItem[] = [
  { seq: 0, device: 'sep001122334455', cluster: 'hq', userId: 'jdoe', profile: null, durationMinutes: null, outcome: 'success', emapiCode: null, message: 'Logged out jdoe', auditId: 7, finishedAt: '2026-11-01T08:00:01.000Z', verified: true },
  { seq: 1, device: 'SEP00AABBCCDDEE', cluster: null, userId: null, profile: null, durationMinutes: null, outcome: 'already-logged-out', emapiCode: 19, message: '=nobody', auditId: 8, finishedAt: '2026-11-01T08:00:01.500Z', verified: null }
]

test('a run\'s results CSV names things as the dashboard does, with the API values beside them (issue #16.11)', () => {
  const lines = runResultsCsv(RUN, ITEMS).replace(/^\uFEFF/, '').trim().split('\r\n')
  const header = (lines[0] ?? '').split(',')
  const row = (i: number): Record<string, string | undefined> => Object.fromEntries(header.map((name, column) => [name, (lines[i] ?? '').split(',')[column]]))
  assert.deepEqual(header, ['device', 'cluster', 'user', 'action', 'action_key', 'outcome', 'outcome_key', 'emapi_code', 'message', 'time', 'verified', 'audit_id', 'trigger', 'trigger_key', 'actor', 'time_utc', 'profile', 'duration'])
  assert.deepEqual(row(1), {
    device: 'SEP001122334455',
    cluster: 'hq',
    user: 'jdoe',
    action: 'Log out',
    action_key: 'logout',
    outcome: 'Success',
    outcome_key: 'success',
    emapi_code: '',
    message: 'Logged out jdoe',
    time: '2026-11-01T08:00:01.000Z',
    verified: 'true',
    audit_id: '7',
    trigger: 'Web',
    trigger_key: 'ui',
    actor: 'demo',
    time_utc: '2026-11-01 08:00:01',
    profile: '',
    duration: ''
  })
  assert.equal(row(2).cluster, '', 'an item on no cluster has an empty cell')
  assert.equal(row(2).outcome, 'Already logged out')
  assert.equal(row(2).message, "'=nobody", 'spreadsheet formulas are defused')
  assert.ok(runResultsCsv(RUN, ITEMS).startsWith('\uFEFF'))
})

test('a login run\'s results CSV keeps each login\'s profile and duration: its failed rows are a login file again', () => {
  const run: RunSummary = { ...RUN, action: 'login', title: 'Bulk login', counts: { failure: 3 } }
  const failed = { cluster: 'hq', outcome: 'failure', emapiCode: 18, message: 'CUCM refused the login', auditId: 9, finishedAt: '2026-11-01T08:00:01.000Z', verified: null } as const
  const logins: RunItem[] = [
    { ...failed, seq: 0, device: 'SEP001122334455', userId: 'jdoe', profile: 'jdoe-8845', durationMinutes: 480 },
    { ...failed, seq: 1, device: 'SEP00AABBCCDDEE', userId: 'asmith', profile: null, durationMinutes: null, indefinite: true },
    { ...failed, seq: 2, device: 'SEP00AABBCCDDFF', userId: 'bwayne', profile: null, durationMinutes: null }
  ]
  const again = readRunCsv(runResultsCsv(run, logins), 'login')
  assert.deepEqual(again.problems, [])
  assert.deepEqual(again.items, [
    { device: 'SEP001122334455', user: 'jdoe', profile: 'jdoe-8845', durationMinutes: 480 },
    { device: 'SEP00AABBCCDDEE', user: 'asmith', indefinite: true },
    { device: 'SEP00AABBCCDDFF', user: 'bwayne' }
  ])
})

test('a run of users: a user it could not find, or found logged in nowhere, is said to be one (not an unknown device)', () => {
  const users: RunItem[] = [
    { seq: 0, device: '', cluster: null, userId: 'nobody.here', profile: null, durationMinutes: null, outcome: 'not-found', emapiCode: null, message: 'CUCM does not know this user', auditId: null, finishedAt: '2026-11-01T08:00:01.000Z', verified: null },
    { seq: 1, device: '', cluster: null, userId: 'asmith', profile: null, durationMinutes: null, outcome: 'empty', emapiCode: null, message: 'asmith is logged in nowhere: nothing to send', auditId: null, finishedAt: '2026-11-01T08:00:01.000Z', verified: null },
    { seq: 2, device: 'SEPFFFFFFFFFFFF', cluster: null, userId: null, profile: null, durationMinutes: null, outcome: 'not-found', emapiCode: null, message: 'CUCM does not know this device', auditId: null, finishedAt: '2026-11-01T08:00:01.000Z', verified: null }
  ]
  const outcomes = runResultsCsv(RUN, users).replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).map((line) => line.split(',')[5])
  assert.deepEqual(outcomes, ['Unknown user', 'Logged in nowhere', 'Unknown device'])
})

test('a time for a spreadsheet: its instant in UTC, to the second, as Excel and LibreOffice read a date', () => {
  assert.equal(spreadsheetTime('2026-12-05T23:15:08.123Z'), '2026-12-05 23:15:08')
  assert.equal(spreadsheetTime('2026-12-06T01:15:08+02:00'), '2026-12-05 23:15:08', 'another zone is written in UTC')
  assert.equal(spreadsheetTime(null), null)
  assert.equal(spreadsheetTime('not a time'), 'not a time')
})
