import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, test } from 'node:test'
import Database from 'better-sqlite3'
import { Agent, request } from 'undici'
import { createServer, type AddressInfo } from 'node:net'
import { openStore } from '../src/store/store.ts'
import { isRunning } from '../src/processes.ts'
import { bulkDeviceName, bulkScenario } from '../src/simulator/bulk-scenario.ts'
import { SEED_OCCUPIED_DEVICE, SEED_USER } from '../src/simulator/seed.ts'
import { startSimulator, type Simulator } from '../src/simulator/server.ts'
import { cucmEnvOf } from './helpers/cucm-env.ts'
import { makeCertificate } from './helpers/https-server.ts'
import { holdWriteLock } from './helpers/database.ts'
import { builtEntry } from './helpers/built.ts'
import { eventually } from './helpers/eventually.ts'
import { signIn, startServerProcess, stopServerProcesses } from './helpers/server-process.ts'

let dir: string

before(() => { dir = mkdtempSync(join(tmpdir(), 'em-console-process-')) })
after(async () => {
  await stopServerProcesses()
  rmSync(dir, { recursive: true, force: true })
})

test('with an empty environment the server starts in demo mode and answers through the simulator', async () => {
  const server = await startServerProcess({}, dir)
  try {
    const info = await (await fetch(`${server.url}/api/session/info`)).json() as { mode: string, demoCredentials: { username: string, password: string } }
    assert.equal(info.mode, 'simulator')
    assert.equal((await fetch(`${server.url}/api/health`)).status, 401, 'nothing but the sign-in page without a session')
    const headers = await signIn(server.url, info.demoCredentials.username, info.demoCredentials.password)
    const health = await (await fetch(`${server.url}/api/health`, { headers })).json() as { mode: string, emapi: { reachable: boolean } }
    assert.equal(health.mode, 'simulator')
    assert.equal(health.emapi.reachable, true)
    const device = await (await fetch(`${server.url}/api/devices/${SEED_OCCUPIED_DEVICE}`, { headers })).json() as { currentUser: string }
    assert.equal(device.currentUser, SEED_USER)
    // Bundled, the API docs' page finds its files (paths.ts), and its 401 is JSON like every error.
    const docs = await fetch(`${server.url}/api/docs/static/swagger-ui-bundle.js`)
    assert.equal(docs.status, 200)
    assert.ok((await docs.text()).length > 100_000)
    const refused = await fetch(`${server.url}/api/health`)
    assert.match(refused.headers.get('content-type') ?? '', /^application\/json/)
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'UNAUTHENTICATED')
    assert.match(server.output(), /Demo mode/)
    assert.doesNotMatch(server.output(), /Deprecation|Warning:/, 'an admin\'s log starts with no warning from the libraries')
    // Soon after listening every route's schemas are compiled in the background, and it says so.
    const compiled = await eventually(() => /"steps":(\d+).*Compiled the schemas of every route/.exec(server.output())?.[1], 30_000)
    assert.ok(Number(compiled) > 100, `every route's validators and serializers: ${compiled} steps`)
  } finally {
    assert.equal(await server.stop('SIGTERM'), 0, 'closes cleanly on SIGTERM')
  }
})

test('SIGTERM to `npm start` stops the server it started: "closing", then a clean stop, nothing left on the port', async () => {
  // A colleague stopped the server by the pid of `npm start`: its shell died, node ran on with the
  // port, and the next start failed with "PORT in use". The script's command after its build, run by npm.
  const root = fileURLToPath(new URL('../../', import.meta.url))
  const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start
  const build = 'npm run build && '
  assert.ok(start.startsWith(build), start)
  const folder = join(dir, 'npm-start')
  mkdirSync(folder)
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'npm-start', private: true, scripts: { start: start.slice(build.length) } }))
  symlinkSync(join(root, 'server'), join(folder, 'server'))
  const server = await startServerProcess({ DATABASE_PATH: join(dir, 'npm-start.db') }, folder, ['npm', 'start'])
  const pid = Number(/"pid":(\d+)/.exec(server.output())?.[1])
  try {
    await server.stop('SIGTERM')
    await eventually(() => isRunning(pid) ? undefined : true, 10_000).catch(() => {})
    assert.match(server.output(), /"signal":"SIGTERM","msg":"closing"/)
    assert.equal(isRunning(pid), false, 'the server itself stopped, not only npm')
  } finally {
    if (isRunning(pid)) process.kill(pid, 'SIGKILL')
  }
})

test('SIGHUP (a closed terminal, `kill -HUP` for a reload that does not exist) stops the server as SIGTERM does: logged, the database closed, its lock removed, exit 0', async () => {
  // It killed the server outright: no line in the log, the lock left behind, and systemd, for
  // which SIGHUP is a clean end, did not restart it (Restart=on-failure).
  const databasePath = join(dir, 'hangup.db')
  const server = await startServerProcess({ DATABASE_PATH: databasePath }, dir)
  assert.equal(await server.stop('SIGHUP'), 0)
  assert.match(server.output(), /"signal":"SIGHUP","msg":"closing"/)
  assert.match(server.output(), /"signal":"SIGHUP".*"msg":"Stopped: /)
  assert.equal(existsSync(`${databasePath}.server-lock`), false, 'its lock is gone')
  assert.equal(existsSync(`${databasePath}-wal`), false, 'its write-ahead log folded into the database')
})

test('a server on a terminal that closes (an ssh session dropped) stops: the database closed, its lock removed, the process gone', async () => {
  // Its "closing" line found no terminal (EIO) and pino tried it again for ever: the process went
  // on, deaf to SIGTERM, its database open and its lock held (a next start refused).
  const databasePath = join(dir, 'terminal-gone.db')
  const lock = `${databasePath}.server-lock`
  const onTerminal = ['script', '--quiet', '--return', '--command', `'${process.execPath}' '${builtEntry('server.js')}'`, '/dev/null']
  const server = await startServerProcess({ DATABASE_PATH: databasePath, SHELL: '/bin/sh' }, dir, onTerminal)
  const { pid } = JSON.parse(readFileSync(lock, 'utf8')) as { pid: number }
  try {
    await server.stop('SIGKILL')
    await eventually(() => existsSync(lock) ? undefined : true, 20_000)
    await eventually(() => isRunning(pid) ? undefined : true, 10_000)
    assert.equal(existsSync(`${databasePath}-wal`), false, 'its write-ahead log folded into the database')
  } finally {
    if (isRunning(pid)) process.kill(pid, 'SIGKILL')
  }
})

test('a bad setting stops the start with a message naming the key', async () => {
  await assert.rejects(startServerProcess({ CUCM_TLS_INSECURE: 'yes' }, dir), /CUCM_TLS_INSECURE.*"true" or "false"/)
  await assert.rejects(startServerProcess({ CUCM_HOST: 'cucm.example.com', CUCM_APP_USER: 'app' }, dir), /CUCM_APP_PASSWORD: required/)
  // Trusting every sender of X-Forwarded-For would let any client write the audit trail's address.
  await assert.rejects(startServerProcess({ TRUST_PROXY: '127.0.0.1,true' }, dir), (error: Error) => {
    assert.match(error.message, /^server exited \(code 3\):\nConfiguration error in TRUST_PROXY: "true" names no proxy: give the addresses or CIDR ranges of the proxies to trust/)
    return true
  })
  // The first admin's password breaking the accounts' rule is a bad setting too, not a crash.
  await assert.rejects(startServerProcess({ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'AdminPassw0rd!!' }, dir), (error: Error) => {
    // What is wrong, then what to do, as the CLI says it.
    assert.match(error.message, /^server exited \(code 3\):\nConfiguration error in ADMIN_PASSWORD: the password must not contain the user name\. Fix ADMIN_PASSWORD in \.env or the environment \(\.env-sample documents every setting\)\.\n$/)
    return true
  })
  // Demo mode on a SIMULATOR_PORT another program holds: that setting, said so (exit 3), not a stack trace.
  const holder = createServer()
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
  try {
    const port = (holder.address() as AddressInfo).port
    await assert.rejects(startServerProcess({ SIMULATOR_PORT: String(port) }, dir), (error: Error) => {
      assert.match(error.message, new RegExp(`^server exited \\(code 3\\):\\n[\\s\\S]*^Configuration error in SIMULATOR_PORT: 127\\.0\\.0\\.1:${port} is in use by another program`, 'm'))
      assert.doesNotMatch(error.message, /\n\s+at /, 'no stack trace')
      return true
    })
  } finally {
    holder.close()
  }
  // An address this machine does not have, or a name that is none: HOST is wrong, said so (exit 3), not a stack trace.
  for (const host of ['bad host', '192.0.2.1']) {
    await assert.rejects(startServerProcess({ HOST: host }, dir), (error: Error) => {
      assert.match(error.message, new RegExp(`^server exited \\(code 3\\):\\n[\\s\\S]*^Configuration error in HOST: "${host}" is not an address of this machine`, 'm'))
      assert.doesNotMatch(error.message, /\n\s+at /, 'no stack trace')
      return true
    })
  }
})

test('files that cannot serve stop the start with a message naming their setting: a TLS key not of its certificate, no certificate, a CA file without one, a database folder that cannot be made', async () => {
  const [one, other] = [await makeCertificate(), await makeCertificate()]
  const file = (name: string, text: string): string => { writeFileSync(join(dir, name), text); return join(dir, name) }
  const cert = file('one-cert.pem', one.cert)
  const expectRefusal = async (env: Record<string, string>, message: RegExp): Promise<void> => {
    await assert.rejects(startServerProcess({ DATABASE_PATH: join(dir, 'refused.db'), ...env }, dir), (error: Error) => {
      assert.match(error.message, /^server exited \(code 3\):/)
      assert.match(error.message, message)
      assert.doesNotMatch(error.message, /\n\s+at /, 'no stack')
      return true
    })
  }
  await expectRefusal({ TLS_CERT_FILE: cert, TLS_KEY_FILE: file('other-key.pem', other.key) }, /Configuration error in TLS_KEY_FILE: .*other-key\.pem is not the key of the certificate in TLS_CERT_FILE/)
  await expectRefusal({ TLS_CERT_FILE: file('not-pem.txt', 'hello'), TLS_KEY_FILE: file('one-key.pem', one.key) }, /Configuration error in TLS_CERT_FILE: .*not-pem\.txt holds no PEM certificate/)
  await expectRefusal({ CUCM_CA_FILE: file('empty-ca.pem', '# nothing here\n') }, /Configuration error in CUCM_CA_FILE: .*empty-ca\.pem: not a PEM certificate/)
  // A folder that cannot be made: a file stands where it would go.
  const blocked = join(file('not-a-folder', ''), 'audit.db')
  await expectRefusal({ DATABASE_PATH: blocked }, /Configuration error in DATABASE_PATH: .*not-a-folder\/audit\.db cannot be used \(E[A-Z]+\): its folder must exist or be creatable/)
  // A file that is no database: said as SQLite says it, not as a folder problem.
  await expectRefusal({ DATABASE_PATH: file('notes.txt', 'these are my notes, not a database, and long enough to be read as a header '.repeat(3)) }, /Configuration error in DATABASE_PATH: .*notes\.txt cannot be opened as EM Console's database \(SQLITE_NOTADB/)
})

/** A production server's settings: CUCM at `sim`, the first admin's account, its own database. */
function envOf (sim: Simulator, databasePath: string): Record<'CUCM_HOST' | 'CUCM_PORT' | 'CUCM_CA_FILE' | 'CUCM_APP_USER' | 'CUCM_APP_PASSWORD' | 'DATABASE_PATH' | 'ADMIN_USERNAME' | 'ADMIN_PASSWORD', string> {
  return {
    ...cucmEnvOf(sim),
    DATABASE_PATH: databasePath,
    ADMIN_USERNAME: 'first-admin',
    ADMIN_PASSWORD: 'a-long-enough-password'
  }
}

test('a server killed mid-request leaves an interrupted record after restart', async () => {
  const sim = await startSimulator({ faults: { mode: 'hang' } })
  const databasePath = join(dir, 'killed.db')
  const env = envOf(sim, databasePath)
  try {
    const first = await startServerProcess(env, dir)
    const headers = await signIn(first.url, env.ADMIN_USERNAME, env.ADMIN_PASSWORD)
    fetch(`${first.url}/api/logout-all`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"confirm":"LOG OUT ALL"}' }).catch(() => {})
    const db = new Database(databasePath, { readonly: true })
    const pending = db.prepare("SELECT count(*) AS n FROM audit WHERE outcome = 'pending'")
    // The row is written pending before the request is sent; killed only then (a kill before it would test nothing).
    await eventually(() => (pending.get() as { n: number }).n > 0 ? true : undefined, 15_000)
    db.close()
    await first.stop('SIGKILL')
    assert.ok(!first.output().includes(sim.credentials.appPassword), 'the password is not logged')

    sim.setFaults({ mode: 'none' })
    const second = await startServerProcess(env, dir)
    try {
      const again = await signIn(second.url, env.ADMIN_USERNAME, env.ADMIN_PASSWORD)
      const page = await (await fetch(`${second.url}/api/audit?action=logout-all`, { headers: again })).json() as { items: Array<{ outcome: string, message: string }> }
      assert.equal(page.items.length, 1)
      assert.equal(page.items[0]?.outcome, 'interrupted')
      assert.match(second.output(), /1 action\(s\) were still running/)
    } finally {
      await second.stop()
    }
  } finally {
    await sim.close()
  }
})

test('SIGTERM while a logout-all waits on a CUCM that does not answer: aborted after the grace, its request answered, its row interrupted, a clean exit well within the deadline', async () => {
  const sim = await startSimulator({ faults: { mode: 'hang' } })
  const databasePath = join(dir, 'stopped-in-flight.db')
  // CUCM's time limit is past the stop's deadline (9.5 s): the stop must not wait for it.
  const env = { ...envOf(sim, databasePath), CUCM_TIMEOUT_MS: '30000' }
  try {
    const server = await startServerProcess(env, dir)
    const headers = await signIn(server.url, env.ADMIN_USERNAME, env.ADMIN_PASSWORD)
    const answer = fetch(`${server.url}/api/logout-all`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"confirm":"LOG OUT ALL"}' })
      .then(async (res) => ({ status: res.status, body: await res.text() }), (error: unknown) => ({ status: 0, body: String(error) }))
    // A look-up held too: cut short by the stop, not failed by CUCM.
    const lookUp = fetch(`${server.url}/api/devices/SEP000000000001`, { headers }).then(async (res) => await res.text(), (error: unknown) => String(error))
    await eventually(() => sim.received.some((xml) => xml.includes('<logoutAll')) && sim.received.some((xml) => xml.includes('SEP000000000001')) ? true : undefined)
    const stopping = Date.now()
    const code = await server.stop('SIGTERM')
    const took = Date.now() - stopping
    // Exit 0: within the stop's deadline (9.5 s), which exits 1.
    assert.equal(code, 0, `a clean exit after ${took} ms:\n${server.output().split('\n').filter((l) => /error|fatal|too long/i.test(l)).join('\n')}`)
    const { status, body } = await answer
    assert.equal(status, 504, body)
    assert.match(body, /"outcome":"interrupted"/)
    // What happened, as the record says it: the server stopped; CUCM did not close the connection, and a logout of all has no device to look up.
    const said = (JSON.parse(body) as { error: { message: string, action?: string } }).error
    assert.equal(said.message, "The server stopped while waiting for CUCM's answer: CUCM may have carried this out; look up who is still logged in to be sure.")
    assert.equal(said.action, undefined, 'no advice about a connection CUCM closed')
    assert.equal(existsSync(`${databasePath}-wal`), false, 'the write-ahead log is folded in and removed')
    const db = new Database(databasePath, { readonly: true })
    try {
      const rows = db.prepare("SELECT outcome, error_code AS errorCode, message FROM audit WHERE action = 'logout-all'").all() as Array<{ outcome: string }>
      assert.deepEqual(rows, [{ outcome: 'interrupted', errorCode: null, message: said.message }], 'no "EMAPI_UNREACHABLE": CUCM was reachable')
      const lookUps = db.prepare("SELECT outcome, error_code AS errorCode, message FROM audit WHERE action = 'device-query'").all()
      assert.deepEqual(lookUps, [{ outcome: 'interrupted', errorCode: null, message: "The server stopped while waiting for CUCM's answer: the look-up was cut short. It changes nothing on CUCM." }], await lookUp)
    } finally {
      db.close()
    }
    assert.doesNotMatch(server.output(), /Closing .* failed/)
  } finally {
    await sim.close()
  }
})

test('a second server on the database of a running one refuses to start and leaves the running one\'s rows alone; a port in use is said plainly', async () => {
  const sim = await startSimulator({ faults: { mode: 'hang' } })
  const databasePath = join(dir, 'shared.db')
  const env = envOf(sim, databasePath)
  const pendingRows = (): number => {
    const db = new Database(databasePath, { readonly: true })
    try {
      return (db.prepare("SELECT count(*) AS n FROM audit WHERE outcome = 'pending'").get() as { n: number }).n
    } finally {
      db.close()
    }
  }
  const first = await startServerProcess(env, dir)
  try {
    const headers = await signIn(first.url, env.ADMIN_USERNAME, env.ADMIN_PASSWORD)
    // A logout-all in flight (CUCM does not answer): its record is pending, and is its lock.
    fetch(`${first.url}/api/logout-all`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"confirm":"LOG OUT ALL"}' }).catch(() => {})
    await eventually(() => pendingRows() === 1 ? true : undefined)

    await assert.rejects(startServerProcess(env, dir), (error: Error) => {
      assert.match(error.message, /^server exited \(code 3\):\nConfiguration error in DATABASE_PATH: another EM Console server \(process \d+ on .+\) is running on /)
      return true
    })
    assert.equal(pendingRows(), 1, 'the running server\'s logout-all is still pending, not marked interrupted')
    // The same through another path to the file: a symbolic link is followed, as SQLite follows it.
    symlinkSync(databasePath, join(dir, 'link-to-shared.db'))
    await assert.rejects(startServerProcess({ ...env, DATABASE_PATH: join(dir, 'link-to-shared.db') }, dir), (error: Error) => {
      assert.match(error.message, /^server exited \(code 3\):\nConfiguration error in DATABASE_PATH: another EM Console server \(process \d+ on .+\) is running on /)
      return true
    })
    assert.equal(pendingRows(), 1, 'still pending')

    const port = new URL(first.url).port
    await assert.rejects(startServerProcess({ ...env, DATABASE_PATH: join(dir, 'other.db'), PORT: port }, dir), (error: Error) => {
      assert.match(error.message, /^server exited \(code 3\):/)
      assert.match(error.message, new RegExp(`\\nConfiguration error in PORT: 127\\.0\\.0\\.1:${port} is in use by another program`))
      return true
    })
  } finally {
    await first.stop('SIGKILL')
    await sim.close()
  }
})

test('an upgrade started while the old release still serves on its port (an older release keeps no lock) changes nothing in the database: refused, PORT', async () => {
  const databasePath = join(dir, 'upgrade-beside.db')
  // The old release's database: one logout-all in flight, written before rows named their process.
  const store = openStore({ path: databasePath })
  await store.write((w) => { w.audit.insertPending({ actor: 'chief', trigger: 'ui', action: 'logout-all', cluster: 'default' }) }, 'a logout-all in flight')
  await store.close()
  const db = new Database(databasePath)
  db.prepare("UPDATE audit SET owner = NULL WHERE outcome = 'pending'").run()
  db.close()
  // The old server's port.
  const old2 = createServer()
  await new Promise<void>((resolve) => old2.listen(0, '127.0.0.1', resolve))
  const port = (old2.address() as AddressInfo).port
  try {
    await assert.rejects(startServerProcess({ DATABASE_PATH: databasePath, PORT: String(port), ADMIN_USERNAME: 'first-admin', ADMIN_PASSWORD: 'a-long-enough-password' }, dir), (error: Error) => {
      assert.match(error.message, new RegExp(`\\nConfiguration error in PORT: 127\\.0\\.0\\.1:${port} is in use by another program`))
      return true
    })
  } finally {
    await new Promise<void>((resolve) => old2.close(() => { resolve() }))
  }
  const after = new Database(databasePath, { readonly: true })
  try {
    // A row of no process (written before rows named one) would be taken for a crash's: not here.
    assert.deepEqual(after.prepare("SELECT outcome FROM audit WHERE action = 'logout-all'").all(), [{ outcome: 'pending' }], 'its logout-all is not marked interrupted')
  } finally {
    after.close()
  }
})

test('a database of another program (DATABASE_PATH mistyped) is refused, naming DATABASE_PATH, and left as it was', async () => {
  const databasePath = join(dir, 'grafana.db')
  const other = new Database(databasePath)
  other.exec("CREATE TABLE dashboard (id INTEGER PRIMARY KEY, title TEXT); INSERT INTO dashboard (title) VALUES ('Phones')")
  other.close()
  await assert.rejects(startServerProcess({ DATABASE_PATH: databasePath, ADMIN_USERNAME: 'first-admin', ADMIN_PASSWORD: 'a-long-enough-password' }, dir), (error: Error) => {
    assert.match(error.message, /^server exited \(code 3\):/)
    assert.match(error.message, /\nConfiguration error in DATABASE_PATH: .*grafana\.db is not EM Console's database: it holds tables of another program \(dashboard\)/)
    assert.doesNotMatch(error.message, /\n\s+at /, 'no stack trace')
    return true
  })
  const after = new Database(databasePath, { readonly: true })
  try {
    assert.deepEqual(after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all(), ['dashboard'], 'no table of EM Console added')
    assert.equal(after.pragma('journal_mode', { simple: true }), 'delete', 'its journal mode left as it was')
  } finally {
    after.close()
  }
})

test('a database of a newer release (a downgrade) is refused, naming DATABASE_PATH, and left as it was', async () => {
  const databasePath = join(dir, 'newer.db')
  const store = openStore({ path: databasePath })
  await store.close()
  const db = new Database(databasePath)
  db.pragma('user_version = 99')
  db.close()
  await assert.rejects(startServerProcess({ DATABASE_PATH: databasePath, ADMIN_USERNAME: 'first-admin', ADMIN_PASSWORD: 'a-long-enough-password' }, dir), (error: Error) => {
    assert.match(error.message, /\nConfiguration error in DATABASE_PATH: .*newer\.db was written by a newer EM Console \(database version 99; this one knows up to \d+\)/)
    assert.doesNotMatch(error.message, /\n\s+at /, 'no stack trace')
    return true
  })
  const after = new Database(databasePath, { readonly: true })
  try {
    assert.equal(after.pragma('user_version', { simple: true }), 99)
  } finally {
    after.close()
  }
})

test('a lock left by a server gone long ago is taken over, even when its process number now names another running program (after a reboot)', async () => {
  const databasePath = join(dir, 'rebooted.db')
  // The number of a live process (this test's own), in a lock untouched for an hour.
  writeFileSync(`${databasePath}.server-lock`, JSON.stringify({ pid: process.pid, host: hostname() }))
  const anHourAgo = new Date(Date.now() - 3_600_000)
  utimesSync(`${databasePath}.server-lock`, anHourAgo, anHourAgo)
  const server = await startServerProcess({ DATABASE_PATH: databasePath }, dir)
  try {
    assert.equal(JSON.parse(readFileSync(`${databasePath}.server-lock`, 'utf8')).pid, server.child.pid)
  } finally {
    assert.equal(await server.stop('SIGTERM'), 0)
  }
  assert.equal(existsSync(`${databasePath}.server-lock`), false, 'a clean stop removes its lock')
})

test('SIGTERM during a 300-device run followed live: the server exits within 10 s and every item and audit row is final', async () => {
  const sim = await startSimulator({ scenario: bulkScenario(300), faults: { latencyMs: 150 } })
  const databasePath = join(dir, 'stopped.db')
  const env = { ...envOf(sim, databasePath), RATE_LIMIT_PER_MINUTE: '0' }
  try {
    const server = await startServerProcess(env, dir)
    const headers = await signIn(server.url, env.ADMIN_USERNAME, env.ADMIN_PASSWORD)
    const devices = Array.from({ length: 300 }, (_, i) => bulkDeviceName(i))
    const started = await fetch(`${server.url}/api/runs`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'logout', devices }) })
    assert.equal(started.status, 202)
    const { id } = await started.json() as { id: string }
    // A browser following the run's live progress: the stream must not hold the shutdown.
    const events = await fetch(`${server.url}/api/runs/${id}/events`, { headers })
    const reader = (events.body as ReadableStream<Uint8Array>).getReader()
    await reader.read()
    // Stopped mid-run: once a few devices are logged out (a busy machine may take longer to get there).
    await eventually(async () => {
      const run = await (await fetch(`${server.url}/api/runs/${id}`, { headers })).json() as { counts: Record<string, number> }
      return (run.counts.success ?? 0) >= 4 ? true : undefined
    }, 60_000)
    const stopping = Date.now()
    const code = await server.stop('SIGTERM')
    assert.equal(code, 0, `a clean exit:\n${server.output().split('\n').filter((l) => /error|fatal|Error/i.test(l)).join('\n')}`)
    const took = Date.now() - stopping
    assert.ok(took < 10_000, `stopping took ${took} ms`)
    for (let chunk = await reader.read().catch(() => ({ done: true })); chunk.done !== true; chunk = await reader.read().catch(() => ({ done: true }))) { /* drain */ }

    const db = new Database(databasePath, { readonly: true })
    try {
      const run = db.prepare('SELECT state FROM runs WHERE id = ?').get(id) as { state: string }
      assert.equal(run.state, 'interrupted')
      const items = db.prepare('SELECT outcome, count(*) AS n FROM run_items WHERE run_id = ? GROUP BY outcome').all(id) as Array<{ outcome: string, n: number }>
      const counts = Object.fromEntries(items.map((r) => [r.outcome, r.n]))
      assert.equal(counts.pending, undefined, `no item left pending: ${JSON.stringify(counts)}`)
      assert.ok((counts.success ?? 0) >= 4 && (counts['not-run'] ?? 0) > 0, JSON.stringify(counts))
      assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), 300)
      // The log says what the stop did: the run's outcome as recorded, then the end of the stop.
      const lines = server.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string, runId?: string, counts?: Record<string, number> })
      const said = lines.find((l) => l.runId === id && l.msg.startsWith('Run: stopped with the server'))
      assert.deepEqual(said?.counts, counts, `the log's counts of the run are those recorded: ${said?.msg ?? 'no such line'}`)
      assert.match(lines.at(-1)?.msg ?? '', /^Stopped: .*the database closed/, 'the last line says the stop is done')
      assert.equal((db.prepare("SELECT count(*) AS n FROM audit WHERE outcome = 'pending'").get() as { n: number }).n, 0, 'no audit row left pending')
      // A logout's row is written before it waits for a slot to CUCM: those still waiting say they were not sent.
      const logouts = db.prepare("SELECT outcome, message FROM audit WHERE action = 'logout' AND run_id = ?").all(id) as Array<{ outcome: string, message: string }>
      const notSent = logouts.filter((row) => row.message.startsWith('Not sent'))
      for (const row of notSent) assert.equal(row.outcome, 'interrupted')
      assert.equal(logouts.length - notSent.length, sim.received.filter((xml) => xml.includes('<logout>')).length, 'every logout sent has its audit row')
    } finally {
      db.close()
    }
  } finally {
    await sim.close()
  }
})

test('a run of a device list cut short by SIGKILL gets its one summary record at the next start, interrupted, naming the list; a second start adds none; the schedule a person ran it from says so, linked to it', async () => {
  const sim = await startSimulator({ scenario: bulkScenario(300), faults: { latencyMs: 150 } })
  const databasePath = join(dir, 'killed-run.db')
  const env = { ...envOf(sim, databasePath), RATE_LIMIT_PER_MINUTE: '0' }
  const summaries = (): Array<{ id: number, runId: string, outcome: string, errorCode: string | null, actor: string, message: string }> => {
    const db = new Database(databasePath, { readonly: true })
    try {
      return db.prepare("SELECT id, run_id AS runId, outcome, error_code AS errorCode, actor, message FROM audit WHERE action = 'bulk-run'").all() as Array<{ id: number, runId: string, outcome: string, errorCode: string | null, actor: string, message: string }>
    } finally {
      db.close()
    }
  }
  const lastRun = (id: number): { outcome: string | null, auditId: number | null } => {
    const db = new Database(databasePath, { readonly: true })
    try {
      return db.prepare('SELECT last_outcome AS outcome, last_audit_id AS auditId FROM schedules WHERE id = ?').get(id) as { outcome: string | null, auditId: number | null }
    } finally {
      db.close()
    }
  }
  try {
    const first = await startServerProcess(env, dir)
    const session = await signIn(first.url, env.ADMIN_USERNAME, env.ADMIN_PASSWORD)
    const headers = { ...session, 'content-type': 'application/json' }
    const devices = Array.from({ length: 300 }, (_, i) => bulkDeviceName(i))
    const saved = await fetch(`${first.url}/api/settings`, { method: 'PUT', headers, body: JSON.stringify({ exemptions: { devices: [], users: [] }, deviceLists: [{ name: 'Lobby phones', devices }] }) })
    assert.equal(saved.status, 200, await saved.text())
    const created = await fetch(`${first.url}/api/schedules`, { method: 'POST', headers, body: JSON.stringify({ name: 'lobby', cron: '0 2 * * *', timezone: 'UTC', action: 'logout-saved-list', list: 'Lobby phones' }) })
    const schedule = await created.json() as { id: number }
    assert.equal(created.status, 201, JSON.stringify(schedule))
    // Run now: the request waits for the run's end, which never comes.
    fetch(`${first.url}/api/schedules/${schedule.id}/run-now`, { method: 'POST', headers: session }).catch(() => {})
    const runId = await eventually(() => {
      const db = new Database(databasePath, { readonly: true })
      try {
        const row = db.prepare("SELECT run_id AS runId FROM audit WHERE action = 'logout' AND outcome = 'success' LIMIT 1").get() as { runId: string } | undefined
        return row?.runId
      } finally {
        db.close()
      }
    }, 20_000)
    await first.stop('SIGKILL')
    assert.deepEqual(summaries(), [], 'killed mid-run: no summary yet')

    for (const start of ['the next start', 'a second start']) {
      const server = await startServerProcess(env, dir)
      assert.equal(await server.stop('SIGTERM'), 0)
      const rows = summaries()
      assert.equal(rows.length, 1, `${start}: one summary: ${JSON.stringify(rows)}`)
      const [row] = rows
      assert.deepEqual([row?.runId, row?.outcome, row?.errorCode, row?.actor], [runId, 'interrupted', 'RUN_FAILED', env.ADMIN_USERNAME])
      assert.match(row?.message ?? '', new RegExp(`^Per-device logout of the list "Lobby phones": 300 devices \\(run ${runId.slice(0, 8)}\\): \\d+ success, .*\\d+ not run\\.$`))
      // A person's "Run now" cut short is the schedule's last run, as a timed one is, linked to its summary.
      assert.deepEqual(lastRun(schedule.id), { outcome: 'interrupted', auditId: row?.id }, start)
    }
  } finally {
    await sim.close()
  }
})

test('a start while another program holds the database\'s write lock for longer than 10 s waits for it, says why, and serves once it is free', async () => {
  const databasePath = join(dir, 'locked-start.db')
  const env = { DATABASE_PATH: databasePath }
  const first = await startServerProcess(env, dir)
  assert.equal(await first.stop('SIGTERM'), 0)
  const lock = holdWriteLock(databasePath)
  const held = 12_000
  const heldUntil = Date.now() + held
  const releasing = setTimeout(() => { lock.release() }, held)
  try {
    const server = await startServerProcess(env, dir)
    try {
      assert.ok(Date.now() >= heldUntil, 'it listened only once the lock was free')
      assert.match(server.output(), /the database refuses writes \(database is locked\)/)
      assert.doesNotMatch(server.output(), /did not start in time/)
      const info = await (await fetch(`${server.url}/api/session/info`)).json() as { mode: string }
      assert.equal(info.mode, 'simulator')
    } finally {
      assert.equal(await server.stop('SIGTERM'), 0)
    }
  } finally {
    clearTimeout(releasing)
    if (Date.now() < heldUntil) lock.release()
  }
})

test('SIGTERM during a run while another program holds the database\'s write lock: the server exits within 10 s and logs each write it could not save', async () => {
  const sim = await startSimulator({ scenario: bulkScenario(100), faults: { latencyMs: 150 } })
  const databasePath = join(dir, 'locked-stop.db')
  const env = { ...envOf(sim, databasePath), RATE_LIMIT_PER_MINUTE: '0' }
  try {
    const server = await startServerProcess(env, dir)
    const headers = await signIn(server.url, env.ADMIN_USERNAME, env.ADMIN_PASSWORD)
    const devices = Array.from({ length: 100 }, (_, i) => bulkDeviceName(i))
    const started = await fetch(`${server.url}/api/runs`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'logout', devices }) })
    assert.equal(started.status, 202)
    await eventually(() => sim.received.some((xml) => xml.includes('<logout>')) ? true : undefined, 10_000)
    const lock = holdWriteLock(databasePath)
    try {
      // A look-up answered meanwhile: its record waits in the queue.
      assert.equal((await fetch(`${server.url}/api/devices/${bulkDeviceName(99)}`, { headers })).status, 200)
      const stopping = Date.now()
      await server.stop('SIGTERM')
      const took = Date.now() - stopping
      assert.ok(took < 9_000, `stopping took ${took} ms:\n${server.output()}`)
      assert.doesNotMatch(server.output(), /Stopping took too long/)
      assert.match(server.output(), /Audit trail: writes could not be saved before the database closed/)
      assert.match(server.output(), /"writes":\[[^\]]*"device-query"/)
    } finally {
      lock.release()
    }
  } finally {
    await sim.close()
  }
})

test('SIGTERM while a logout waits for its audit record, another program holding the database\'s write lock: refused (nothing sent) once the stop aborts what is in flight, a clean exit within 10 s, each write not saved logged', async () => {
  const sim = await startSimulator()
  const databasePath = join(dir, 'locked-stop-logout.db')
  // CUCM's time limit, which a record's wait also had, is past the stop's deadline (9.5 s).
  const env = { ...envOf(sim, databasePath), CUCM_TIMEOUT_MS: '30000' }
  try {
    const server = await startServerProcess(env, dir)
    const headers = await signIn(server.url, env.ADMIN_USERNAME, env.ADMIN_PASSWORD)
    const lock = holdWriteLock(databasePath)
    try {
      // A look-up answered meanwhile: its record waits in the queue.
      assert.equal((await fetch(`${server.url}/api/devices/${SEED_OCCUPIED_DEVICE}`, { headers })).status, 200)
      const answer = fetch(`${server.url}/api/devices/${SEED_OCCUPIED_DEVICE}/logout`, { method: 'POST', headers })
        .then(async (res) => ({ status: res.status, body: await res.text() }), (error: unknown) => ({ status: 0, body: String(error) }))
      // The logout waits for its record: the look-up's, the logout's own look-up's, and its pending row are queued (at least: nothing commits while the lock is held).
      await eventually(async () => (await (await fetch(`${server.url}/api/health`, { headers })).json() as { store: { queued: number } }).store.queued >= 3 ? true : undefined, 30_000)
      const stopping = Date.now()
      const code = await server.stop('SIGTERM')
      const took = Date.now() - stopping
      assert.doesNotMatch(server.output(), /Stopping took too long/)
      assert.equal(code, 0, `stopping took ${took} ms`)
      const { status, body } = await answer
      assert.equal(status, 503, body)
      assert.match(body, /"code":"AUDIT_UNAVAILABLE"/)
      assert.match(body, /nothing was sent to CUCM/)
      assert.match(server.output(), /Audit trail: writes could not be saved before the database closed/)
      assert.match(server.output(), /"writes":\[[^\]]*"device-query"/)
      assert.ok(!sim.received.some((xml) => xml.includes('<logout>')), 'the logout was not sent')
    } finally {
      lock.release()
    }
  } finally {
    await sim.close()
  }
})

test('SIGTERM while an inventory refresh waits to write, another program holding the database\'s write lock: a clean exit within 10 s, each write not saved logged', async () => {
  const databasePath = join(dir, 'locked-stop-inventory.db')
  // Demo mode: its clusters have AXL, so there is an inventory to refresh.
  const server = await startServerProcess({ DATABASE_PATH: databasePath, ADMIN_USERNAME: 'first-admin', ADMIN_PASSWORD: 'a-long-enough-password' }, dir)
  const headers = await signIn(server.url, 'first-admin', 'a-long-enough-password')
  // The refreshes of the start written first: the one asked below is the one the lock holds.
  await eventually(() => /Inventory of cluster branch refreshed/.test(server.output()) && /Inventory of cluster hq refreshed/.test(server.output()) ? true : undefined, 30_000)
  const lock = holdWriteLock(databasePath)
  try {
    assert.equal((await fetch(`${server.url}/api/devices/${SEED_OCCUPIED_DEVICE}`, { headers })).status, 200)
    assert.equal((await fetch(`${server.url}/api/inventory/refresh`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' })).status, 202)
    await eventually(() => /the database refuses writes/.test(server.output()) ? true : undefined, 10_000)
    const stopping = Date.now()
    const code = await server.stop('SIGTERM')
    const took = Date.now() - stopping
    assert.doesNotMatch(server.output(), /Stopping took too long/)
    assert.equal(code, 0, `stopping took ${took} ms`)
    assert.match(server.output(), /Audit trail: writes could not be saved before the database closed/)
    assert.match(server.output(), /"writes":\[[^\]]*"inventory attempt"/)
    assert.doesNotMatch(server.output(), /refresh failed with an internal error/, 'the stop is no failure of the refresh')
  } finally {
    lock.release()
  }
})

test('with TLS_CERT_FILE and TLS_KEY_FILE the dashboard is served over HTTPS with Secure cookies', async () => {
  const certificate = await makeCertificate()
  writeFileSync(join(dir, 'cert.pem'), certificate.cert)
  writeFileSync(join(dir, 'key.pem'), certificate.key)
  const server = await startServerProcess({
    TLS_CERT_FILE: join(dir, 'cert.pem'),
    TLS_KEY_FILE: join(dir, 'key.pem'),
    DATABASE_PATH: join(dir, 'https.db'),
    ADMIN_USERNAME: 'first-admin',
    ADMIN_PASSWORD: 'a-long-enough-password'
  }, dir)
  const dispatcher = new Agent({ connect: { ca: certificate.cert } })
  try {
    assert.match(server.url, /^https:/)
    const res = await request(`${server.url}/api/session`, {
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'first-admin', password: 'a-long-enough-password' })
    })
    await res.body.text()
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['set-cookie']), /Secure/)
    assert.match(String(res.headers['set-cookie']), /HttpOnly/)
    assert.match(String(res.headers['strict-transport-security']), /max-age=31536000/)
  } finally {
    await dispatcher.close()
    await server.stop()
  }
})

test('the setup link names a host the dashboard\'s certificate holds, not 127.0.0.1 it does not name', async () => {
  // It named the address listened on, which a browser refuses under a certificate for the server's name.
  const certificate = await makeCertificate('em-console.example.com', '10.9.8.7')
  writeFileSync(join(dir, 'named-cert.pem'), certificate.cert)
  writeFileSync(join(dir, 'named-key.pem'), certificate.key)
  const server = await startServerProcess({
    CUCM_HOST: 'cucm.example.com',
    CUCM_APP_USER: 'emapi',
    CUCM_APP_PASSWORD: 'not-used-here',
    TLS_CERT_FILE: join(dir, 'named-cert.pem'),
    TLS_KEY_FILE: join(dir, 'named-key.pem'),
    DATABASE_PATH: join(dir, 'setup-link.db')
  }, dir)
  try {
    const port = new URL(server.url).port
    const link = await eventually(() => /Create the first admin at (\S+)/.exec(server.output())?.[1], 20_000)
    assert.match(link, new RegExp(`^https://em-console\\.example\\.com:${port}/#/setup\\?token=`))
  } finally {
    await server.stop()
  }
})

test('with TRUST_PROXY the built server believes that proxy: the client it names is recorded, and its https gives Secure cookies', async () => {
  const server = await startServerProcess({
    TRUST_PROXY: '127.0.0.2',
    DATABASE_PATH: join(dir, 'proxied.db'),
    ADMIN_USERNAME: 'first-admin',
    ADMIN_PASSWORD: 'a-long-enough-password'
  }, dir)
  const proxy = new Agent({ localAddress: '127.0.0.2' })
  try {
    const res = await request(`${server.url}/api/session`, {
      method: 'POST',
      dispatcher: proxy,
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.40', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ username: 'first-admin', password: 'a-long-enough-password' })
    })
    await res.body.text()
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['set-cookie']), /; Secure;/)
    const headers = await signIn(server.url, 'first-admin', 'a-long-enough-password')
    const page = await (await fetch(`${server.url}/api/audit?action=sign-in`, { headers })).json() as { items: Array<{ clientIp: string | null }> }
    assert.deepEqual(page.items.map((item) => item.clientIp), ['127.0.0.1', '198.51.100.40'], 'newest first: the direct sign-in, then the one through the proxy')
  } finally {
    await proxy.close()
    await server.stop()
  }
})
