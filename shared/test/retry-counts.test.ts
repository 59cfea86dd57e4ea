import assert from 'node:assert/strict'
import { test } from 'node:test'
import { resendCount, retryCount } from '../src/rules/runs.ts'

// The run's page reads these for its buttons: "Retry failed (N)" and "Run the rest (N)".
test('a retry counts the items it takes by outcome, less those about a user, which have no device to send to', () => {
  const counts = { success: 4, failure: 2, error: 1, unknown: 1, interrupted: 1, cancelled: 2, 'not-run': 3 }
  assert.deepEqual([retryCount(counts, 'failed'), retryCount(counts, 'rest')], [5, 5])
  assert.deepEqual([resendCount({ counts }, 'failed'), resendCount({ counts }, 'rest')], [5, 5])
  // Of those, a user not found while a cluster could not be asked (error) and a user never reached (not-run).
  const run = { counts, userCounts: { error: 1, 'not-run': 2, success: 1 } }
  assert.deepEqual([resendCount(run, 'failed'), resendCount(run, 'rest')], [4, 3])
})
