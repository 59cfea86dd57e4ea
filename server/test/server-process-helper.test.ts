import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startServerProcess } from './helpers/server-process.ts'

// A stand-in for the built server: says where it listens and, on SIGTERM, exits while what it
// wrote last is still on its way through the pipe (here a child of its own writes it a moment
// later): a busy machine delivers a process's exit before the end of its output in just that way.
const STAND_IN = `
  const { spawn } = require('node:child_process')
  process.on('SIGTERM', () => {
    spawn(process.execPath, ['-e', "setTimeout(() => console.log('Stopped: the last line'), 200)"], { stdio: ['ignore', 'inherit', 'inherit'] })
    process.exit(0)
  })
  console.log('Server listening at http://127.0.0.1:1')
  setInterval(() => {}, 60_000)
`

test('a stopped server process has all its output read: the test helper waits for its pipes, not only its exit (a CI failure: the last line missing)', async () => {
  const server = await startServerProcess({}, process.cwd(), [process.execPath, '-e', STAND_IN])
  assert.equal(await server.stop('SIGTERM'), 0)
  assert.equal(server.output().trimEnd().split('\n').at(-1), 'Stopped: the last line')
})
