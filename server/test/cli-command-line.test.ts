import assert from 'node:assert/strict'
import { test } from 'node:test'
import { asksJson, parseCommandLine, type CommandSpec } from '../src/cli/command-line.ts'

const OPTIONS = {
  json: {},
  help: { short: 'h' },
  yes: { short: 'y' },
  limit: { value: 'a whole number', short: 'n' },
  cluster: { value: 'a cluster id' },
  pool: { value: 'a device pool name', multiple: true }
} as const satisfies CommandSpec['options']
const TAKES_ARGUMENTS: CommandSpec = { options: OPTIONS, positionals: true }
const TAKES_NONE: CommandSpec = { options: OPTIONS, positionals: false }

test('a command line is read into its options and arguments', () => {
  const cases: Array<[string[], Record<string, unknown>, string[]]> = [
    [['a', '--json', 'b'], { json: true }, ['a', 'b']],
    [['--', '--json', '-h', '--pool='], {}, ['--json', '-h', '--pool=']],
    [['-yh'], { yes: true, help: true }, []],
    [['-n5'], { limit: '5' }, []],
    [['-hn', '5'], { help: true, limit: '5' }, []],
    [['--limit=5', '-n', '6'], { limit: '6' }, []],
    [['--pool', 'A', '--pool=B', 'x'], { pool: ['A', 'B'] }, ['x']],
    [['--cluster', '-', '-'], { cluster: '-' }, ['-']],
    [['--cluster=a=b'], { cluster: 'a=b' }, []]
  ]
  for (const [args, values, positionals] of cases) {
    assert.deepEqual(parseCommandLine('demo', TAKES_ARGUMENTS, args), { values, positionals }, args.join(' '))
  }
})

test('each mistake in a command line is one usage error in the CLI\'s words, the first one met', () => {
  const cases: Array<[CommandSpec, string[], string]> = [
    [TAKES_ARGUMENTS, ['--clster', 'hq'], 'unknown option --clster (did you mean --cluster?); demo takes --json, --help (-h), --yes (-y), --limit (-n), --cluster, --pool'],
    [TAKES_ARGUMENTS, ['-yx'], 'unknown option -x; demo takes --json, --help (-h), --yes (-y), --limit (-n), --cluster, --pool'],
    [TAKES_ARGUMENTS, ['--constructor'], 'unknown option --constructor; demo takes --json, --help (-h), --yes (-y), --limit (-n), --cluster, --pool'],
    [TAKES_ARGUMENTS, ['--=x'], 'unknown option --=x; demo takes --json, --help (-h), --yes (-y), --limit (-n), --cluster, --pool'],
    [TAKES_ARGUMENTS, ['--json=yes'], '--json takes no value (got "--json=yes")'],
    [TAKES_ARGUMENTS, ['--pool'], '--pool takes a device pool name: none was given'],
    [TAKES_ARGUMENTS, ['--pool='], '--pool takes a device pool name: none was given'],
    [TAKES_ARGUMENTS, ['--pool', ' '], '--pool takes a device pool name: none was given'],
    [TAKES_ARGUMENTS, ['-n'], '-n (--limit) takes a whole number: none was given'],
    [TAKES_ARGUMENTS, ['--cluster', '--json'], '--cluster takes a cluster id: none was given before --json (a value that starts with "-" is written --cluster=--json)'],
    [TAKES_ARGUMENTS, ['-n', '-5'], '-n (--limit) takes a whole number: none was given before -5 (a value that starts with "-" is written --limit=-5)'],
    [TAKES_ARGUMENTS, ['--cluster', '--'], '--cluster takes a cluster id: none was given before -- (a value that starts with "-" is written --cluster=--)'],
    [TAKES_NONE, ['x', '--bogus'], 'demo takes no arguments (got "x")'],
    [TAKES_NONE, ['-'], 'demo takes no arguments (got "-")'],
    [TAKES_NONE, ['--json', '--', '--json'], 'demo takes no arguments (got "--json")']
  ]
  for (const [spec, args, message] of cases) {
    assert.throws(() => parseCommandLine('demo', spec, args), { message }, args.join(' '))
  }
})

test('a command line asks for --json as an option, not as an argument after `--` nor as an option\'s own value', () => {
  assert.equal(asksJson(['x', '--json']), true)
  assert.equal(asksJson(['--cluster', '--json']), true, 'refused as a value: still asked')
  assert.equal(asksJson(['--', '--json']), false)
  assert.equal(asksJson(['--cluster=--json']), false)
})
