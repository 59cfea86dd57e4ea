import assert from 'node:assert/strict'
import { test } from 'node:test'
import { displayWidth, table } from '../src/cli/output.ts'

test('a table lines its columns up by what a terminal draws: a wide character takes two columns, an accent typed apart none', () => {
  assert.equal(displayWidth('DP_東京'), 7)
  assert.equal(displayWidth('Zoë'), 3)
  assert.equal(displayWidth('Zoe\u0308'), 3)
  const lines = table([['POOL', 'USER'], ['DP_東京', 'tanaka'], ['DP_Zoe\u0308', 'zoe'], ['DP_OSLO', 'ola']])
  // The second column begins where the widest first cell ends, plus the gap, on every line.
  const startOf = (line: string): number => displayWidth(line.slice(0, line.search(/\S+$/)))
  assert.deepEqual(lines.map(startOf), [9, 9, 9, 9], lines.join('\n'))
})
