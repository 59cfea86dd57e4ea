import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { checkBuilt } from '../test-server.ts'

const STARTER = fileURLToPath(new URL('./start-children.ts', import.meta.url))

/** True when nothing listens at the URL's port any more. */
async function refused (url: string): Promise<boolean> {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  try {
    await once(socket, 'connect')
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ECONNREFUSED'
  } finally {
    socket.destroy()
  }
}

test('a worker killed outright (kill -9, a CI timeout) leaves no test server or lab simulator running', async (t) => {
  checkBuilt()
  // The starter's temp folders (databases, logs) go in one folder of this test's, removed at the end.
  const work = mkdtempSync(join(tmpdir(), 'em-console-e2e-tied-'))
  const starter = spawn(process.execPath, ['--import', 'tsx', STARTER], { env: { ...process.env, TMPDIR: work }, stdio: ['ignore', 'pipe', 'inherit'] })
  t.after(() => { rmSync(work, { recursive: true, force: true }) })
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: starter.stdout }).once('line', resolve)
    starter.once('exit', (code) => { reject(new Error(`The starter exited (code ${code ?? '-'}) before its servers were up`)) })
  })
  const { urls, pids } = JSON.parse(line) as { urls: string[], pids: number[] }
  let open = urls
  t.after(() => {
    // Only when the test failed: what still answers is ours, and must not outlive the test.
    if (open.length > 0) for (const pid of pids) process.kill(pid, 'SIGKILL')
  })
  assert.equal(urls.length, 4, 'the server, its two simulators and the lab simulator')
  for (const url of urls) assert.equal(await refused(url), false, `${url} answers before the kill`)

  starter.kill('SIGKILL')
  await once(starter, 'exit')
  // Each stops as a SIGTERM stops it; the server allows itself 9.5 s for that.
  const deadline = Date.now() + 15_000
  while (open.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    open = (await Promise.all(open.map(async (url) => await refused(url) ? undefined : url))).filter((url) => url !== undefined)
  }
  assert.deepEqual(open, [], 'still listening 15 s after the process that started them was killed')
})
