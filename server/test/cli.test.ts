import assert from 'node:assert/strict'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { startSimulator, type Simulator } from '../src/simulator/server.ts'
import { buildTestApp, receivedOf } from './helpers/app.ts'
import { runCli, runCliOnClosingTerminal, runCliOnTerminal, type CliResult } from './helpers/cli.ts'
import { cucmEnvOf } from './helpers/cucm-env.ts'
import { eventually } from './helpers/eventually.ts'

let sim: Simulator
let dir: string

before(async () => {
  sim = await startSimulator()
  dir = mkdtempSync(join(tmpdir(), 'em-console-cli-'))
})
after(async () => {
  await sim.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The settings of a deployment that points at the test's simulator, each test on its own database. */
function envFor (database: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    ...cucmEnvOf(sim),
    CUCM_TIMEOUT_MS: '3000',
    DATABASE_PATH: join(dir, `${database}.db`),
    ...overrides
  }
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined))
}

/** A database's settings pointing EMAPI and AXL at `hanging` (a simulator whose EMAPI does not answer), with a time limit no test reaches. */
function hangingEnv (database: string, hanging: Simulator): Record<string, string> {
  return envFor(database, {
    CUCM_PORT: String(hanging.port),
    CUCM_CA_FILE: hanging.caFile,
    CUCM_TIMEOUT_MS: '60000',
    CUCM_AXL_PORT: String(hanging.port),
    CUCM_AXL_USER: hanging.axl.credentials.user,
    CUCM_AXL_PASSWORD: hanging.axl.credentials.password
  })
}

function auditRows (database: string): Array<{ trigger: string, actor: string, action: string, outcome: string, emapi_code: number | null }> {
  const db = new Database(join(dir, `${database}.db`), { readonly: true })
  try {
    return db.prepare('SELECT trigger, actor, action, outcome, emapi_code FROM audit ORDER BY id').all() as never
  } finally {
    db.close()
  }
}

/** The outcome of the database's logout-all record, once there is one (read while the CLI writes). */
function logoutAllOutcome (database: string): string | undefined {
  if (!existsSync(join(dir, `${database}.db`))) return undefined
  try {
    return auditRows(database).find((row) => row.action === 'logout-all')?.outcome
  } catch {
    // The CLI is creating its schema this instant.
    return undefined
  }
}

function assertNoPassword (result: CliResult): void {
  assert.ok(!result.stdout.includes(sim.credentials.appPassword) && !result.stderr.includes(sim.credentials.appPassword), 'the password is never printed')
}

describe('em-console CLI', { concurrency: true }, () => {
  test('logout-all --yes prints the HTTP status, the XML answer and one human line, exits 0, audits trigger cli', async () => {
    const result = await runCli(['logout-all', '--yes'], envFor('success'), dir)
    assert.equal(result.code, 0, result.stderr)
    const lines = result.stdout.trim().split('\n')
    assert.equal(lines[0], 'HTTP 200')
    assert.match(result.stdout, /<response>\s*<success\/>\s*<\/response>/)
    assert.match(lines.at(-1) ?? '', /^Success: .*every Extension Mobility user.*\(audit #\d+\)$/)
    assertNoPassword(result)
    const [row] = auditRows('success')
    assert.deepEqual(row, { trigger: 'cli', actor: userInfo().username, action: 'logout-all', outcome: 'success', emapi_code: null })
  })

  test('output nobody reads (`| head`) is dropped: the command still finishes, is audited, and exits as it would have', async () => {
    const result = await runCli(['logout-all', '--yes'], envFor('reader-gone'), dir, { readerGone: true })
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '', 'no EPIPE stack trace')
    const [row] = auditRows('reader-gone')
    assert.equal(row?.outcome, 'success')
    const history = await runCli(['history', '--limit', '200'], envFor('reader-gone'), dir, { readerGone: true })
    assert.equal(history.code, 0, history.stderr)
    assert.equal(history.stderr, '')
  })

  // Issue #14: a cron job's command loads the configuration, the store and the EMAPI client, not
  // the server's parts. Node's own module debug log names every file the built CLI loads; each
  // bundle file names the modules it holds ("// dist/store/store.js", "// ../node_modules/x/...").
  test('logout-all runs the store and the EMAPI client, not Fastify, the schema compiler, the simulator or the scheduler', async () => {
    // The program is one file (bundle.mjs); each module in it runs when first imported, as its own
    // function, which V8's coverage counts by the module's path.
    const coverage = join(dir, 'coverage')
    const result = await runCli(['logout-all', '--yes'], envFor('loads', { NODE_V8_COVERAGE: coverage, NODE_DEBUG: 'module' }), dir)
    assert.equal(result.code, 0, result.stderr)
    const scripts = readdirSync(coverage).flatMap((file) => (JSON.parse(readFileSync(join(coverage, file), 'utf8')) as { result: Array<{ url: string, functions: Array<{ functionName: string, ranges: Array<{ count: number }> }> }> }).result)
    const program = scripts.find((script) => script.url.endsWith('/bundle/cli-program.cjs'))
    assert.ok(program !== undefined, `the program is among ${scripts.map((script) => script.url).join(', ')}`)
    const modules = program.functions.filter((f) => /^(\.\.\/|dist\/)/.test(f.functionName))
    const ran = modules.filter((f) => (f.ranges[0]?.count ?? 0) > 0).map((f) => f.functionName)
    assert.ok(modules.length > ran.length, 'some of the program\'s modules are left alone')
    for (const module of ['dist/store/store.js', 'dist/emapi/client.js', '../node_modules/undici/lib/dispatcher/pool.js']) assert.ok(ran.includes(module), `${module} runs, among ${ran.join(', ')}`)
    for (const part of ['../node_modules/fastify/', '../node_modules/@fastify/', '../node_modules/typebox/', '../node_modules/fast-json-stringify/', '../node_modules/ajv-formats/', '../node_modules/croner/', 'dist/simulator/', 'dist/schedules/schedule-service.js', 'dist/app.js']) {
      assert.ok(!ran.some((module) => module.startsWith(part)), `${part} does not run`)
    }
    const requested = [...result.stderr.matchAll(/Module\._load REQUEST (\S+)/g)].map((m) => m[1])
    assert.ok(!requested.some((name) => /croner|fastify/.test(name ?? '')), `nothing required at run time: ${requested.join(', ')}`)
  })

  test('a look-up while another program holds the database\'s write lock past the server\'s 10 s waits for it: its record is written, exit 0', async () => {
    // The database exists (a first command made it); then a backup-like program holds its write lock for 12 s.
    assert.equal((await runCli(['status', 'SEP001122334455'], envFor('held'), dir)).code, 0)
    const before = auditRows('held').length
    const holder = new Database(join(dir, 'held.db'))
    holder.prepare('BEGIN IMMEDIATE').run()
    const release = setTimeout(() => { holder.prepare('COMMIT').run(); holder.close() }, 12_000)
    try {
      const result = await runCli(['status', 'SEP001122334455'], envFor('held'), dir)
      assert.equal(result.code, 0, result.stderr)
      assert.doesNotMatch(result.stderr, /could not be written/)
      assert.equal(auditRows('held').length, before + 1, 'the look-up\'s record is in the audit trail')
    } finally {
      clearTimeout(release)
      if (holder.open) {
        holder.prepare('COMMIT').run()
        holder.close()
      }
    }
  })

  test('logout-all --json prints one JSON object', async () => {
    const result = await runCli(['logout-all', '--yes', '--json'], envFor('json'), dir)
    assert.equal(result.code, 0, result.stderr)
    const body = JSON.parse(result.stdout) as Record<string, unknown>
    assert.deepEqual(Object.keys(body).sort(), ['action', 'auditId', 'cluster', 'command', 'emapiCode', 'errorCode', 'exitCode', 'httpStatus', 'message', 'mode', 'ok', 'outcome', 'responseBody'])
    assert.equal(body.command, 'logout-all')
    assert.equal(body.ok, true)
    assert.equal(body.exitCode, 0)
    assert.equal(body.mode, 'cucm')
    assert.equal(body.outcome, 'success')
    assert.equal(body.httpStatus, 200)
    assert.match(String(body.responseBody), /<success\/>/)
    assert.equal(typeof body.auditId, 'number')
  })

  test('without a terminal, logout-all refuses to run unless --yes is given', async () => {
    const result = await runCli(['logout-all'], envFor('refused'), dir)
    assert.equal(result.code, 3)
    assert.match(result.stderr, /stdin is not a terminal.*--yes/)
    assert.equal(result.stdout, '')
    assert.equal(existsSync(join(dir, 'refused.db')), false, 'it stopped before opening the database or calling CUCM')
  })

  test('a wrong password is EMAPI code 3: exit 1, with its meaning and the setting to fix', async () => {
    const result = await runCli(['logout-all', '--yes'], envFor('wrong-password', { CUCM_APP_PASSWORD: 'not-the-password' }), dir)
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stdout, /^HTTP 200\n/)
    assert.match(result.stdout, /<error code="3">/)
    assert.match(result.stdout, /Failed: EMAPI error 3: Invalid application user.*Check CUCM_APP_USER and CUCM_APP_PASSWORD.*\(audit #\d+\)/)
    assert.ok(!result.stdout.includes('not-the-password') && !result.stderr.includes('not-the-password'))
    const [row] = auditRows('wrong-password')
    assert.equal(row?.outcome, 'failure')
    assert.equal(row?.emapi_code, 3)
  })

  test('an untrusted certificate (no CUCM_CA_FILE) exits 2 and says how to fix it', async () => {
    const result = await runCli(['logout-all', '--yes'], envFor('tls', { CUCM_CA_FILE: undefined }), dir)
    assert.equal(result.code, 2, result.stderr)
    assert.match(result.stdout, /Failed: TLS verification failed .*CUCM_CA_FILE/)
    assert.ok(!result.stdout.includes('HTTP '), 'no HTTP exchange happened')
  })

  test('an unreachable CUCM exits 2', async () => {
    // Port 1: nothing listens there. A port freed by this file was free for the test files running
    // beside it too, and one of their simulators given it answered with its own certificate (EMAPI_TLS).
    const result = await runCli(['logout-all', '--yes', '--json'], envFor('unreachable', { CUCM_PORT: '1' }), dir)
    assert.equal(result.code, 2, result.stderr)
    const body = JSON.parse(result.stdout) as Record<string, unknown>
    assert.equal(body.errorCode, 'EMAPI_UNREACHABLE')
    assert.equal(body.httpStatus, null)
    assert.match(String(body.message), /Cannot reach CUCM/)
  })

  test('a logout-all sent but not answered is said to be unknown (it may have happened), as its record says; a huge answer is not poured onto the terminal', async () => {
    const silent = await startSimulator({ faults: { mode: 'hang' } })
    const flooding = await startSimulator({ faults: { mode: 'huge', answerBytes: 10_000_000 } })
    try {
      const json = await runCli(['logout-all', '--yes', '--json'], envFor('unanswered', { ...cucmEnvOf(silent), CUCM_TIMEOUT_MS: '1000' }), dir)
      assert.equal(json.code, 2, json.stderr)
      const body = JSON.parse(json.stdout) as Record<string, unknown>
      assert.equal(body.outcome, 'unknown')
      assert.match(String(body.message), /may have carried it out: look up who is still logged in to be sure\.$/)
      assert.equal(auditRows('unanswered').find((r) => r.action === 'logout-all')?.outcome, 'unknown')
      const text = await runCli(['logout-all', '--yes'], envFor('unanswered', { ...cucmEnvOf(silent), CUCM_TIMEOUT_MS: '1000' }), dir)
      assert.match(text.stdout, /^Unknown \(it may have happened\): .*may have carried it out/m)
      assert.doesNotMatch(text.stdout, /^Failed/m)

      const huge = await runCli(['logout-all', '--yes'], envFor('flooded', { ...cucmEnvOf(flooding), EMAPI_MAX_RESPONSE_BYTES: '1048576' }), dir)
      assert.ok(huge.stdout.length < 5_000, `${huge.stdout.length} characters printed`)
      assert.match(huge.stdout, /more characters of CUCM's answer; its audit record keeps the first 64 KiB\)/)
    } finally {
      await silent.close()
      await flooding.close()
    }
  })

  test('a logout-all stopped by SIGTERM (a timeout, systemd) ends its record interrupted and dies by the signal; the next one is not held back', async () => {
    const hanging = await startSimulator({ faults: { mode: 'hang' } })
    try {
      const env = envFor('stopped', { CUCM_PORT: String(hanging.port), CUCM_CA_FILE: hanging.caFile, CUCM_TIMEOUT_MS: '60000' })
      const stopped = await runCli(['logout-all', '--yes'], env, dir, { stopWith: { signal: 'SIGTERM', when: () => logoutAllOutcome('stopped') === 'pending' } })
      assert.equal(stopped.signal, 'SIGTERM', stopped.stderr)
      assert.match(stopped.stderr, /stopping \(SIGTERM\): what was sent to CUCM and not answered is recorded as interrupted/)
      assert.equal(logoutAllOutcome('stopped'), 'interrupted')
      // The command stopped, not a server: said so on the terminal and in the record.
      const words = "The em-console command stopped (SIGTERM) while waiting for CUCM's answer: CUCM may have carried this out; look up who is still logged in to be sure."
      // Read as the dashboard reads the record (Interrupted), without a connection "CUCM closed" (the command closed it).
      assert.ok(stopped.stdout.includes(`Interrupted: ${words} (audit #`), stopped.stdout)
      const db = new Database(join(dir, 'stopped.db'), { readonly: true })
      try {
        assert.deepEqual(db.prepare("SELECT message, error_code AS errorCode FROM audit WHERE action = 'logout-all'").get(), { message: words, errorCode: null })
      } finally {
        db.close()
      }
      // Not "already running" for minutes: nothing holds the lock.
      const next = await runCli(['logout-all', '--yes'], envFor('stopped'), dir)
      assert.equal(next.code, 0, next.stdout + next.stderr)
    } finally {
      await hanging.close()
    }
  })

  test('a logout-all whose terminal closed (SIGHUP: an ssh session dropped) ends its record interrupted, as a stop does, and dies by the signal', async () => {
    const hanging = await startSimulator({ faults: { mode: 'hang' } })
    try {
      const env = envFor('hung-up', { CUCM_PORT: String(hanging.port), CUCM_CA_FILE: hanging.caFile, CUCM_TIMEOUT_MS: '60000' })
      const stopped = await runCli(['logout-all', '--yes'], env, dir, { stopWith: { signal: 'SIGHUP', when: () => logoutAllOutcome('hung-up') === 'pending' } })
      assert.equal(stopped.signal, 'SIGHUP', stopped.stderr)
      assert.match(stopped.stderr, /stopping \(SIGHUP\): what was sent to CUCM and not answered is recorded as interrupted/)
      // Not left pending until a server starts on the database: the command says it and its record holds it.
      assert.equal(logoutAllOutcome('hung-up'), 'interrupted')
      assert.match(stopped.stdout, /^Interrupted: The em-console command stopped \(SIGHUP\) while waiting for CUCM's answer/m)
    } finally {
      await hanging.close()
    }
  })

  test('a logout-all on a terminal that closes (an ssh session dropped) ends its record interrupted, though it can no longer write there', async () => {
    // The stop's words found no terminal (EIO): the command died of it, its record left pending.
    const hanging = await startSimulator({ faults: { mode: 'hang' } })
    try {
      const env = envFor('terminal-gone', { CUCM_PORT: String(hanging.port), CUCM_CA_FILE: hanging.caFile, CUCM_TIMEOUT_MS: '60000' })
      await runCliOnClosingTerminal(['logout-all', '--yes'], env, dir, () => logoutAllOutcome('terminal-gone') === 'pending')
      assert.equal(await eventually(() => logoutAllOutcome('terminal-gone') === 'pending' ? undefined : logoutAllOutcome('terminal-gone'), 20_000), 'interrupted')
      const record = new Database(join(dir, 'terminal-gone.db'), { readonly: true })
      try {
        assert.match((record.prepare("SELECT message FROM audit WHERE action = 'logout-all'").get() as { message: string }).message, /^The em-console command stopped \(SIGHUP\)/)
      } finally {
        record.close()
      }
    } finally {
      await hanging.close()
    }
  })

  test('a status stopped by SIGTERM while CUCM holds its look-up says the look-up was cut short, not that it may have happened', async () => {
    const hanging = await startSimulator({ faults: { mode: 'hang' } })
    try {
      const stopped = await runCli(['status', 'SEP001122334455'], hangingEnv('stopped-status', hanging), dir, { stopWith: { signal: 'SIGTERM', when: () => hanging.stats.requests > 0 } })
      assert.equal(stopped.signal, 'SIGTERM', stopped.stdout + stopped.stderr)
      // As History reads the record (Interrupted): a look-up changes nothing, so nothing "may have happened".
      assert.match(stopped.stdout, /^Interrupted: The em-console command stopped \(SIGTERM\) while waiting for CUCM's answer: the look-up was cut short\. It changes nothing on CUCM\. \(audit #\d+\)$/m)
      assert.doesNotMatch(stopped.stdout, /may have happened/)
    } finally {
      await hanging.close()
    }
  })

  test('a status --json stopped by SIGTERM says it was interrupted (INTERRUPTED), not that CUCM was unreachable', async () => {
    const hanging = await startSimulator({ faults: { mode: 'hang' } })
    try {
      const stopped = await runCli(['status', 'SEP001122334455', '--json'], hangingEnv('stopped-status-json', hanging), dir, { stopWith: { signal: 'SIGTERM', when: () => hanging.stats.requests > 0 } })
      assert.equal(stopped.signal, 'SIGTERM', stopped.stdout + stopped.stderr)
      const body = JSON.parse(stopped.stdout) as { outcome: string, errorCode: string }
      assert.deepEqual([body.outcome, body.errorCode], ['interrupted', 'INTERRUPTED'])
    } finally {
      await hanging.close()
    }
  })

  test('a logout by age stopped by SIGTERM while CUCM holds its look-up: the run says the stop, not CUCM, and tries no look-up again', async () => {
    const hanging = await startSimulator({ faults: { mode: 'hang' } })
    try {
      const env = hangingEnv('stopped-run', hanging)
      const stopped = await runCli(['logout', '--older-than', '1h', '--yes'], env, dir, { stopWith: { signal: 'SIGTERM', when: () => hanging.stats.requests > 0 } })
      assert.equal(stopped.signal, 'SIGTERM', stopped.stdout + stopped.stderr)
      // The items' one reason is the summary's "Why:", and is not said again below it.
      assert.match(stopped.stdout, /^Stopped by SIGTERM: Logout of the sessions logged in for more than 1 h: \d+ devices \(run \w{8}, [^)]+\): \d+ not run\. Why: The em-console command running it stopped \(SIGTERM\) during the run\. \(audit #\d+\)$/m)
      assert.equal(stopped.stdout.split('stopped (SIGTERM) during the run').length, 2, stopped.stdout)
      assert.doesNotMatch(stopped.stdout, /closed the connection/)
      assert.doesNotMatch(stopped.stderr, /trying it again/)
      const db = new Database(join(dir, 'stopped-run.db'), { readonly: true })
      try {
        assert.deepEqual(db.prepare('SELECT DISTINCT outcome, message FROM run_items').all(), [{ outcome: 'not-run', message: 'Not run: the em-console command running it stopped (SIGTERM) during the run.' }])
        assert.deepEqual(db.prepare("SELECT outcome FROM audit WHERE action = 'bulk-run'").all(), [{ outcome: 'interrupted' }])
        // Its look-up cut short by the stop, not failed by CUCM ("closed the connection").
        assert.deepEqual(db.prepare("SELECT DISTINCT outcome, error_code AS errorCode, message FROM audit WHERE action = 'device-query'").all(),
          [{ outcome: 'interrupted', errorCode: null, message: "The em-console command stopped (SIGTERM) while waiting for CUCM's answer: the look-up was cut short. It changes nothing on CUCM." }])
      } finally {
        db.close()
      }
    } finally {
      await hanging.close()
    }
  })

  test('a logout by pool stopped by SIGTERM while AXL holds the inventory read: the read is cut short, no run begins, nothing is sent, and it says and records the stop at once, not a failure', async () => {
    // AXL holds its answers: a stop that waited for the read would never end.
    const slow = await startSimulator({ axl: { faults: { hold: true } } })
    try {
      const env = hangingEnv('stopped-early', slow)
      let stoppedAt = Number.POSITIVE_INFINITY
      const reading = (): boolean => {
        if (slow.axl.stats.inFlight === 0) return false
        stoppedAt = Date.now()
        return true
      }
      const stopped = await runCli(['logout', '--pool', 'DP_OSLO', '--yes'], env, dir, { stopWith: { signal: 'SIGTERM', when: reading } })
      const tookMs = Date.now() - stoppedAt
      assert.equal(stopped.signal, 'SIGTERM', stopped.stdout + stopped.stderr)
      assert.ok(tookMs < 15_000, `ended ${tookMs} ms after SIGTERM, not when the AXL answer came`)
      const words = /^Stopped by SIGTERM: Logout of the sessions on DP_OSLO: nothing was sent\. The em-console command stopped \(SIGTERM\) while the inventory was read, before any session was selected\. \(audit #\d+\)$/m
      assert.match(stopped.stdout, words)
      assert.doesNotMatch(stopped.stderr, /trying it again|could not be refreshed/)
      assert.deepEqual(receivedOf(slow, 'deviceUserQuery').length + receivedOf(slow, 'logout').length, 0, 'nothing asked of EMAPI after the stop')
      const db = new Database(join(dir, 'stopped-early.db'), { readonly: true })
      try {
        assert.deepEqual(db.prepare('SELECT action, outcome, error_code AS errorCode FROM audit').all(), [{ action: 'bulk-run', outcome: 'interrupted', errorCode: 'NOT_SENT' }])
        assert.deepEqual(db.prepare('SELECT error_code IS NULL AS noError FROM inventory_state').all(), [{ noError: 1 }], 'the stop is no failure of AXL on the cluster\'s inventory')
      } finally {
        db.close()
      }
    } finally {
      await slow.close()
    }
  })

  test('Ctrl-C typed at a question on a terminal (logout-all\'s, a new password) ends the command as SIGINT does, no stack trace: nothing sent, changed or recorded; Ctrl-D answers no', async () => {
    const env = envFor('typed-at-prompt')
    const question = 'Type "yes" to continue'
    const interrupted = await runCliOnTerminal(['logout-all'], env, dir, { after: question, keys: '\x03' })
    assert.equal(interrupted.code, 130, interrupted.output)
    assert.doesNotMatch(interrupted.output, /AbortError|\n\s+at /)
    const declined = await runCliOnTerminal(['logout-all'], env, dir, { after: question, keys: '\x04' })
    assert.equal(declined.code, 1, declined.output)
    assert.match(declined.output, /em-console logout-all: Cancelled: nothing was sent\./)
    assert.doesNotMatch(declined.output, /AbortError|\n\s+at /)
    const noPassword = await runCliOnTerminal(['user', 'add', 'night-ops'], env, dir, { after: 'New password: ', keys: '\x03' })
    assert.equal(noPassword.code, 130, noPassword.output)
    assert.doesNotMatch(noPassword.output, /AbortError|\n\s+at /)
    const accounts = await runCli(['user', 'list', '--json'], env, dir)
    assert.deepEqual(JSON.parse(accounts.stdout).accounts, [], 'no account was added')
    assert.deepEqual(auditRows('typed-at-prompt'), [], 'nothing was recorded')
    // The question of a logout by pool comes once the command has opened everything, its own stop by a signal ready
    // (and only when the pool has a session: the logout-alls of the tests before may have emptied it).
    const oslo = sim.state.snapshot().devices.filter((d) => d.devicePool === 'DP_OSLO')
    if (oslo.every((d) => d.currentUser === null)) {
      const busy = new Set(sim.state.snapshot().devices.flatMap((d) => d.currentUser === null ? [] : [d.currentUser]))
      const free = sim.state.snapshot().users.find((u) => !busy.has(u))
      assert.deepEqual(sim.state.login({ deviceName: oslo[0]?.name ?? '', userId: free ?? '' }), { ok: true })
    }
    const byPool = await runCliOnTerminal(['logout', '--pool', 'DP_OSLO'], envFor('typed-at-pool-prompt', { CUCM_AXL_PORT: String(sim.port), CUCM_AXL_USER: sim.axl.credentials.user, CUCM_AXL_PASSWORD: sim.axl.credentials.password }), dir, { after: question, keys: '\x03' })
    assert.equal(byPool.code, 130, byPool.output)
    assert.doesNotMatch(byPool.output, /AbortError|\n\s+at /)
    assert.deepEqual(auditRows('typed-at-pool-prompt').filter((row) => row.action !== 'device-query'), [], 'nothing was sent')
  })

  test('a logout-all killed outright (kill -9, a reboot) holds nothing: the next one runs at once, and a server start marks the record interrupted', async () => {
    const hanging = await startSimulator({ faults: { mode: 'hang' } })
    try {
      const env = envFor('killed', { CUCM_PORT: String(hanging.port), CUCM_CA_FILE: hanging.caFile, CUCM_TIMEOUT_MS: '60000' })
      const killed = await runCli(['logout-all', '--yes'], env, dir, { stopWith: { signal: 'SIGKILL', when: () => logoutAllOutcome('killed') === 'pending' } })
      assert.equal(killed.signal, 'SIGKILL')
      const next = await runCli(['logout-all', '--yes'], envFor('killed'), dir)
      assert.equal(next.code, 0, next.stdout + next.stderr)
      const server = await buildTestApp({ env: { DATABASE_PATH: env.DATABASE_PATH ?? '' } })
      await server.close()
      assert.deepEqual(auditRows('killed').filter((row) => row.action === 'logout-all').map((row) => row.outcome), ['interrupted', 'success'])
    } finally {
      await hanging.close()
    }
  })

  test('a CLI command killed outright beside a running server: within seconds, without a restart, its logout-all record and its bulk run are interrupted, saying the command stopped', async () => {
    const hanging = await startSimulator({ faults: { mode: 'hang' } })
    const env = hangingEnv('killed-beside-server', hanging)
    const server = await buildTestApp({ env: { DATABASE_PATH: env.DATABASE_PATH ?? '' }, tuning: { goneProcessesMs: 100 } })
    const read = <T>(sql: string): T[] => {
      const db = new Database(env.DATABASE_PATH ?? '', { readonly: true })
      try {
        return db.prepare(sql).all() as T[]
      } finally {
        db.close()
      }
    }
    try {
      const killed = await runCli(['logout-all', '--yes'], env, dir, { stopWith: { signal: 'SIGKILL', when: () => logoutAllOutcome('killed-beside-server') === 'pending' } })
      assert.equal(killed.signal, 'SIGKILL')
      // A logout by age: a bulk run, killed while it looks its phones up (CUCM does not answer).
      const runState = (): string | undefined => read<{ state: string }>('SELECT state FROM runs').at(0)?.state
      const cut = await runCli(['logout', '--older-than', '1h', '--yes'], env, dir, { stopWith: { signal: 'SIGKILL', when: () => runState() === 'previewing' } })
      assert.equal(cut.signal, 'SIGKILL', cut.stdout + cut.stderr)
      await eventually(() => logoutAllOutcome('killed-beside-server') === 'interrupted' && runState() === 'interrupted' ? true : undefined, 10_000)
      const [row] = read<{ message: string }>("SELECT message FROM audit WHERE action = 'logout-all'")
      assert.match(row?.message ?? '', /^The em-console command that sent it stopped \(killed\) before this action finished; CUCM may or may not have carried it out\.$/)
      assert.deepEqual(read("SELECT id FROM audit WHERE outcome = 'pending' UNION ALL SELECT seq FROM run_items WHERE outcome = 'pending'"), [], 'nothing is left pending')
      // Killed while previewing, the run may have its items already or not yet (a busy machine): those it has were not run.
      const items = read<{ outcome: string, message: string }>('SELECT DISTINCT outcome, message FROM run_items')
      for (const item of items) assert.deepEqual(item, { outcome: 'not-run', message: 'Not run: the em-console command running it stopped (killed) during the run.' })
      // Summed up once, interrupted, in the words the command would have used at its end.
      const summaries = read<{ outcome: string, message: string }>("SELECT outcome, message FROM audit WHERE action = 'bulk-run'")
      assert.deepEqual(summaries.map((row) => row.outcome), ['interrupted'])
      assert.match(summaries[0]?.message ?? '', /^Logout of the sessions logged in for more than 1 h: \d+ devices? \(run \w{8}, inventory [^)]+ as of [^)]+\): /)
      // The server's own work is not taken for a killed command's.
      const mine = await server.inject({ method: 'POST', url: '/api/logout-all', payload: { confirm: 'LOG OUT ALL' } }, 'operator')
      assert.equal(mine.statusCode, 200, mine.body)
    } finally {
      await server.close()
      await hanging.close()
    }
  })

  test('a server starting while a CLI logout-all waits on CUCM leaves its record alone: the CLI ends it with CUCM\'s answer', async () => {
    const slow = await startSimulator({ faults: { hold: 'all' } })
    try {
      const env = envFor('beside-server', { CUCM_PORT: String(slow.port), CUCM_CA_FILE: slow.caFile, CUCM_TIMEOUT_MS: '60000' })
      const cli = runCli(['logout-all', '--yes'], env, dir)
      await eventually(() => logoutAllOutcome('beside-server') === 'pending' ? true : undefined, 30_000)
      const server = await buildTestApp({ env: { DATABASE_PATH: env.DATABASE_PATH ?? '' } })
      try {
        assert.equal(logoutAllOutcome('beside-server'), 'pending', 'the server marks only what a gone process left')
        const refused = await server.inject({ method: 'POST', url: '/api/logout-all', payload: { confirm: 'LOG OUT ALL' } }, 'operator')
        assert.equal(refused.statusCode, 409, refused.body)
      } finally {
        await server.close()
      }
      slow.setFaults({ hold: 'none' })
      const done = await cli
      assert.equal(done.code, 0, done.stdout + done.stderr)
      assert.equal(logoutAllOutcome('beside-server'), 'success')
    } finally {
      await slow.close()
    }
  })

  test('a bad configuration exits 3 and names the key', async () => {
    const bad = await runCli(['logout-all', '--yes'], envFor('bad-config', { CUCM_TLS_INSECURE: 'yes' }), dir)
    assert.equal(bad.code, 3)
    assert.match(bad.stderr, /CUCM_TLS_INSECURE.*"true" or "false"/)
    // The port typed into CUCM_HOST (a colon is allowed for IPv6): the setting named, not "TypeError: Invalid URL" (exit 1).
    const port = await runCli(['logout-all', '--yes'], envFor('bad-host', { CUCM_HOST: 'cucm.example.org:8443' }), dir)
    assert.equal(port.code, 3, port.stderr)
    assert.match(port.stderr, /^Configuration error in CUCM_HOST: must be a host name or IP address without a port \(CUCM_PORT gives it\)/)
    // A message that ends its own sentence is not given a second full stop.
    // On a machine whose language is German, the message's times are written in its English too.
    const often = await runCli(['logout-all', '--yes'], envFor('bad-schedule', { LOGOUT_ALL_SCHEDULE: '* * * * *', SCHEDULE_TIMEZONE: 'UTC', LANG: 'de_DE.UTF-8' }), dir)
    assert.equal(often.code, 3)
    assert.match(often.stderr, /"0 2 \* \* \*"\. Fix LOGOUT_ALL_SCHEDULE in \.env/)
    assert.match(often.stderr, /fires at (Sun|Mon|Tue|Wed|Thu|Fri|Sat), [A-Z][a-z]{2} \d+, \d\d:\d\d and again at /)
  })

  test('a command run outside EM Console\'s folder (a cron line without cd) says, beside its demo-mode note, that there is no .env where it ran', async () => {
    const cwd = join(dir, 'no-env-here')
    mkdirSync(cwd)
    const result = await runCli(['status', 'SEP001122334455'], { DATABASE_PATH: join(dir, 'no-env.db') }, cwd)
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /^Note: Demo mode: no CUCM_HOST is set.*There is no \.env in \S+no-env-here: run the command in EM Console's folder \(a cron line: cd /m)
    // Where a .env is, demo mode was asked for: no such words.
    writeFileSync(join(cwd, '.env'), 'LOG_LEVEL=info\n')
    const asked = await runCli(['status', 'SEP001122334455'], { DATABASE_PATH: join(dir, 'no-env.db') }, cwd)
    assert.equal(asked.code, 0, asked.stderr)
    assert.match(asked.stderr, /^Note: Demo mode/m)
    assert.doesNotMatch(asked.stderr, /There is no \.env/)
  })

  test('a command run in EM Console\'s own folder without a .env (the README\'s demo) is told to copy .env-sample, not to run it in EM Console\'s folder', async (t) => {
    // It was told 'There is no .env in /opt/em-console: run the command in EM Console's folder',
    // the folder it was in.
    const root = fileURLToPath(new URL('../../', import.meta.url))
    if (existsSync(join(root, '.env'))) return t.skip('this clone has a .env')
    const result = await runCli(['status', 'SEP001122334455'], { DATABASE_PATH: join(dir, 'in-root.db') }, root)
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /Set CUCM_HOST to manage a real cluster\. There is no \.env in \S+: copy \.env-sample to \.env to set it\.$/m)
    assert.doesNotMatch(result.stderr, /run the command in EM Console's folder/)
  })

  test('a key of .env that is no setting (a typo of CUCM_HOST) exits 3 naming it and the setting it is closest to: a production cron job does not log out demo mode\'s phones and exit 0', async () => {
    const cwd = join(dir, 'env-typo')
    mkdirSync(cwd)
    writeFileSync(join(cwd, '.env'), 'CUCM_HSOT=cucm.example.com\nCUCM_APP_USER=emapi\nCUCM_APP_PASSWORD=secret-pass\n')
    const json = await runCli(['logout-all', '--yes', '--json'], { DATABASE_PATH: join(dir, 'env-typo.db') }, cwd)
    assert.equal(json.code, 3, json.stderr)
    const object = JSON.parse(json.stdout) as { errorCode: string, key: string, message: string }
    assert.equal(object.errorCode, 'CONFIG')
    assert.equal(object.key, 'CUCM_HSOT')
    assert.match(object.message, /^Configuration error in CUCM_HSOT: not a setting of EM Console \(did you mean CUCM_HOST\?\)/)
    assert.doesNotMatch(json.stdout + json.stderr, /secret-pass/)
    // A key far from every setting is named all the same, without a guess.
    writeFileSync(join(cwd, '.env'), 'CUCM_HOST=cucm.example.com\nTZ=Europe/Oslo\n')
    const other = await runCli(['status', 'SEP001122334455'], { DATABASE_PATH: join(dir, 'env-typo.db') }, cwd)
    assert.equal(other.code, 3, other.stderr)
    assert.match(other.stderr, /^Configuration error in TZ: not a setting of EM Console\. Fix or remove it in \.env .*a variable of another program \(TZ, NODE_OPTIONS\) goes in the environment/)
  })

  test('a .env the command cannot read (run by another user than its owner) exits 3 naming the file and what to do, without a stack trace', async () => {
    // As root can read any file, a link to memory no one reads stands for the unreadable file
    // (EACCES, or EIO at its unmapped first page). A link to itself did, until a loop of links got
    // words of its own.
    const cwd = join(dir, 'env-unreadable')
    mkdirSync(cwd, { recursive: true })
    symlinkSync('/proc/1/mem', join(cwd, '.env'))
    const result = await runCli(['logout-all', '--yes', '--cluster', 'all'], envFor('env-unreadable'), cwd)
    assert.equal(result.code, 3, result.stderr)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /^Configuration error in \.env: \S+env-unreadable\/\.env cannot be read \((EACCES|EIO)\)\. Run EM Console as the user that owns it/)
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace')
    const json = await runCli(['logout-all', '--yes', '--json'], envFor('env-unreadable'), cwd)
    assert.equal(json.code, 3)
    assert.equal((JSON.parse(json.stdout) as { key: string }).key, '.env')
  })

  test('a database this user may read but not write (a backup restored as root) exits 3 naming DATABASE_PATH: nothing sent, no stack trace, no files of its own left beside it', async (t) => {
    const folder = join(dir, 'read-only-database')
    mkdirSync(folder)
    const database = join(folder, 'em-console.db')
    const made = await runCli(['status', 'SEP001122334455'], envFor('unused', { DATABASE_PATH: database }), dir)
    assert.equal(made.code, 0, made.stderr)
    chmodSync(database, 0o444)
    // A simulator of its own, to count what reaches it while the other tests run.
    const own = await startSimulator()
    t.after(async () => { await own.close() })
    const env = envFor('unused', { ...cucmEnvOf(own), DATABASE_PATH: database })
    // Root may write any file: the commands run without that power.
    const json = await runCli(['logout-all', '--yes', '--json'], env, folder, { boundByPermissions: true })
    assert.equal(json.code, 3, json.stderr)
    const object = JSON.parse(json.stdout) as { errorCode: string, key: string, message: string }
    assert.equal(object.errorCode, 'CONFIG')
    assert.equal(object.key, 'DATABASE_PATH')
    assert.match(object.message, /em-console\.db cannot be written by this user \(EACCES\)/)
    const said = await runCli(['status', 'SEP001122334455'], env, folder, { boundByPermissions: true })
    assert.equal(said.code, 3, said.stderr)
    assert.match(said.stderr, /cannot be written by this user \(EACCES\)\. Run EM Console as the user that owns the database/)
    for (const result of [json, said]) assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace')
    assert.equal(own.stats.requests, 0)
    assert.deepEqual(readdirSync(folder).sort(), ['em-console.db'])
  })
})
