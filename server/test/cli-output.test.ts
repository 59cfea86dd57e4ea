import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { test } from 'node:test'
import { main } from '../src/cli/main.ts'
import { confirmed, displayWidth, EXIT, table, worstExit } from '../src/cli/output.ts'
import { startSimulator } from '../src/simulator/server.ts'
import { cucmEnvOf } from './helpers/cucm-env.ts'

test('a table lines its columns up by what a terminal draws: a wide character takes two columns, an accent typed apart none', () => {
  assert.equal(displayWidth('DP_東京'), 7)
  assert.equal(displayWidth('Zoë'), 3)
  assert.equal(displayWidth('Zoe\u0308'), 3)
  const lines = table([['POOL', 'USER'], ['DP_東京', 'tanaka'], ['DP_Zoe\u0308', 'zoe'], ['DP_OSLO', 'ola']])
  // The second column begins where the widest first cell ends, plus the gap, on every line.
  const startOf = (line: string): number => displayWidth(line.slice(0, line.search(/\S+$/)))
  assert.deepEqual(lines.map(startOf), [9, 9, 9, 9], lines.join('\n'))
})

test('an emoji a terminal draws two columns wide takes two in a table, wherever Unicode puts it (a rocket, an alarm clock, a check mark); a flag two, a telephone sign one', () => {
  for (const emoji of ['\u{1F680}', '\u23F0', '\u2705', '\u{1F6D7}', '\u231A', '\u{1F600}']) assert.equal(displayWidth(emoji), 2, emoji)
  assert.equal(displayWidth('\u{1F1E9}\u{1F1EA}'), 2)
  assert.equal(displayWidth('\u260E'), 1)
  const lines = table([['CLUSTER', 'STATE'], ['Launch \u{1F680}', 'ok'], ['Launch 12', 'ok']])
  const startOf = (line: string): number => displayWidth(line.slice(0, line.search(/\S+$/)))
  assert.deepEqual(lines.map(startOf), [11, 11, 11], lines.join('\n'))
})

test('text from CUCM that a terminal would act on (ESC of a colour or a screen clear, C1\'s CSI, a bare carriage return) is printed visibly, not sent to the terminal: status, logout and history', async () => {
  // EMAPI carries a user ID percent-encoded, so it may hold any character; LDAP may have given it one.
  const users = ['\u001b[2J\u001b[Hroot', 'c1\u009b2Jx', 'over\rwritten']
  const devices = users.map((currentUser, i) => ({ name: `SEP00000000000${i}`, currentUser, loginTime: Date.now() - 3_600_000 }))
  const sim = await startSimulator({ scenario: { users, profiles: users.map((user, i) => ({ name: `EM-${i}`, owners: [user], isDefault: true })), devices } })
  const dir = mkdtempSync(join(tmpdir(), 'em-console-cli-output-'))
  try {
    const env = { ...cucmEnvOf(sim), DATABASE_PATH: join(dir, 'cli.db') }
    const stdin = { isTTY: false } as unknown as NodeJS.ReadStream
    const run = async (args: string[]): Promise<string[]> => {
      const lines: string[] = []
      await main(args, { env, stdin, io: { out: (l) => lines.push(l), err: (l) => lines.push(l) } })
      return lines
    }
    const status = await run(['status', ...devices.map((d) => d.name)])
    const logout = await run(['logout', 'SEP000000000002'])
    const history = await run(['history'])
    const json = await run(['status', 'SEP000000000001', '--json'])
    for (const line of [...status, ...logout, ...history, ...json]) assert.doesNotMatch(line, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/, JSON.stringify(line)) // eslint-disable-line no-control-regex
    assert.match(status.join('\n'), /\\u001b\[2J\\u001b\[Hroot/)
    assert.match(status.join('\n'), /c1\\u009b2Jx/)
    assert.match(logout.join('\n'), /Logged out over\\u000dwritten from SEP000000000002/)
    assert.match(history.join('\n'), /over\\u000dwritten/)
    // The table still lines up: each row's last user is under its header.
    const column = status[0]?.indexOf('LAST USER') ?? -1
    assert.deepEqual(status.slice(1).map((line) => line.indexOf(' -') + 1), [column, column, column], status.join('\n'))
    // JSON keeps the value: an escape of JSON's own.
    assert.equal((JSON.parse(json.join('\n')) as { devices: Array<{ currentUser: string }> }).devices[0]?.currentUser, 'c1\u009b2Jx')
  } finally {
    await sim.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the exit code of several clusters\' results is the worst, an unreachable CUCM (2) over every other, whatever their order', () => {
  const { ok, failed, transport, config } = EXIT
  assert.equal(worstExit([]), ok)
  assert.equal(worstExit([ok, failed, ok]), failed)
  assert.equal(worstExit([failed, transport]), transport)
  assert.equal(worstExit([transport, failed]), transport)
  assert.equal(worstExit([config, transport]), transport)
  assert.equal(worstExit([transport, config]), transport)
  assert.equal(worstExit([failed, config]), config)
})

test('a change asks its question only on a terminal: piped "yes" (isTTY unset, not false) is refused, a typed YES in any case goes on', async () => {
  const stdinWith = (text: string, isTTY: true | undefined): NodeJS.ReadStream => Object.assign(new PassThrough(), { isTTY }).end(text) as unknown as NodeJS.ReadStream
  const words = { withoutTerminal: 'logout-all asks for confirmation', question: 'Log out everyone?' }
  const errors: string[] = []
  const io = { out: () => {}, err: (line: string) => { errors.push(line) } }
  assert.equal(await confirmed({ io, stdin: stdinWith('yes\n', undefined), json: false, yes: false }, 'logout-all', words), EXIT.config)
  assert.match(errors.join('\n'), /stdin is not a terminal.*Add --yes/)
  assert.equal(await confirmed({ io, stdin: stdinWith('YES\n', true), json: false, yes: false }, 'logout-all', words), undefined)
  for (const answer of ['no\n', '\n', 'y\n']) assert.equal(await confirmed({ io, stdin: stdinWith(answer, true), json: false, yes: false }, 'logout-all', words), EXIT.failed, answer)
})

test('check\'s lines: one failed step is enough for "Fix the failed check", never "All checks passed"; a TLS step not reached is skipped, not a warning', async () => {
  const { printChecks } = await import('../src/cli/check.ts')
  const lines: string[] = []
  const io = { out: (line: string) => { lines.push(line) }, err: () => {} }
  // What `em-console check` prints for a configuration it cannot read (main.ts): one step, failed.
  printChecks(io, [{ name: 'configuration', label: 'Configuration', ok: false, message: 'CUCM_PORT must be a port', fix: 'Set CUCM_PORT to 8443.' }])
  assert.deepEqual(lines, ['[FAIL] Configuration: CUCM_PORT must be a port', '       fix: Set CUCM_PORT to 8443.', 'Fix the failed check and run "em-console check" again.'])
  lines.length = 0
  printChecks(io, [
    { name: 'configuration', label: 'Configuration', ok: true, message: 'valid' },
    { name: 'reachable', label: 'CUCM reachable', ok: false, message: 'connect ECONNREFUSED' },
    { name: 'tls', label: 'TLS certificate trusted', ok: null, message: 'not checked: an earlier check failed' }
  ])
  assert.deepEqual(lines.map((line) => line.slice(0, 6)), ['[ok]  ', '[FAIL]', '[skip]', 'Fix th'])
})
