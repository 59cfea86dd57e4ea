import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, test } from 'node:test'
import { MAX_CONCURRENCY, MAX_CONCURRENCY_RULE } from '@em-console/shared/field-rules'
import { SCHEDULE_OUTCOMES } from '@em-console/shared/schemas'
import { COMMANDS } from '../src/cli/main.ts'
import { EXIT } from '../src/cli/output.ts'
import { SETTINGS } from '../src/config.ts'
import { buildTestApp } from './helpers/app.ts'

/**
 * A new admin installs EM Console from README.md, docs/operations.md and .env-sample alone. What
 * those documents name (settings, REST paths, CLI commands) is checked here against the code, so
 * that a change to one without the other fails the suite instead of misleading the next admin.
 */

const repoFile = (path: string): string => readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8')

/** The text of a section of a Markdown document (`## ` unless said), its heading included, up to the next heading of its level or above. */
function section (markdown: string, heading: string, level = '##'): string {
  const start = markdown.indexOf(`\n${level} ${heading}\n`)
  assert.ok(start >= 0, `the section "${heading}" is there`)
  const next = new RegExp(`\\n#{1,${level.length}} `, 'g')
  next.lastIndex = start + 1
  const end = next.exec(markdown)?.index
  return markdown.slice(start, end)
}

/** The rows of the Markdown tables of a text whose first cell names something in backticks. */
function tableRows (text: string): string[][] {
  return text.split('\n').filter((line) => line.startsWith('| `')).map((line) => line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()))
}

describe('README.md, "REST API"', () => {
  test('its table lists every operation the served OpenAPI document has, each with its method, and no other', async () => {
    const listed = new Set<string>()
    for (const [cell] of tableRows(section(repoFile('README.md'), 'REST API'))) {
      // `GET /api/x`, `GET/PATCH/DELETE /api/x/:id`, `GET /api/devices/status?names=A,B`
      for (const [, methods, path] of (cell ?? '').matchAll(/`([A-Z/]+) (\/api\/[^`?\s]*)[^`]*`/g)) {
        for (const method of (methods ?? '').split('/')) listed.add(`${method} ${path ?? ''}`)
      }
    }
    const t = await buildTestApp({ mode: 'simulator', accounts: false })
    let served: string[]
    try {
      const docs = (await t.inject('/api/docs/json', 'none')).json() as { paths: Record<string, Record<string, unknown>> }
      served = Object.entries(docs.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`))
    } finally {
      await t.close()
    }
    assert.ok(served.length > 50, 'the document is read')
    assert.deepEqual(served.filter((operation) => !listed.has(operation)).sort(), [], 'served but missing from the README\'s table')
    assert.deepEqual([...listed].filter((operation) => !served.includes(operation)).sort(), [], 'in the README\'s table but not served')
  })
})

describe('README.md, "Configuration", and .env-sample', () => {
  const settings = Object.entries(SETTINGS) as Array<[string, (typeof SETTINGS)[keyof typeof SETTINGS]]>
  const range = (setting: (typeof SETTINGS)[keyof typeof SETTINGS]): string | undefined => setting.type === 'integer' ? `${setting.min}-${setting.max}` : undefined

  test('the settings table has a row for every key the code reads and for no other, with its default and, for a number, its range', () => {
    const rows = new Map<string, string[]>()
    for (const row of tableRows(section(repoFile('README.md'), 'Configuration'))) {
      for (const [, key] of (row[0] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)) rows.set(key ?? '', row)
    }
    assert.deepEqual([...rows.keys()].filter((key) => !Object.hasOwn(SETTINGS, key)), [], 'documented, but the code does not read it')
    for (const [key, setting] of settings) {
      const defaultCell = rows.get(key)?.[1]
      assert.ok(defaultCell !== undefined, `${key} has a row`)
      if ('default' in setting && setting.default === '') assert.ok(['', 'unset'].includes(defaultCell), `${key}: no default, the README says ${defaultCell}`)
      else if ('default' in setting) assert.ok(defaultCell.startsWith(`\`${String(setting.default)}\``), `${key}: the default is ${String(setting.default)}, the README says ${defaultCell}`)
      const bounds = range(setting)
      if (bounds !== undefined) assert.ok(defaultCell.includes(`(${bounds})`), `${key}: from ${bounds.replace('-', ' to ')}, the README says ${defaultCell}`)
    }
  })

  test('.env-sample sets every key the code reads and no other, each empty or at its default, a number with its range in the comment above it', () => {
    const lines = repoFile('.env-sample').split('\n')
    const keys = new Map<string, { value: string, comment: string }>()
    lines.forEach((line, i) => {
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line)
      if (match === null) return
      let first = i
      while (first > 0 && lines[first - 1]?.startsWith('#') === true) first--
      keys.set(match[1] ?? '', { value: match[2] ?? '', comment: lines.slice(first, i).join('\n') })
    })
    assert.deepEqual([...keys.keys()].filter((key) => !Object.hasOwn(SETTINGS, key)), [], 'in .env-sample, but the code does not read it')
    for (const [key, setting] of settings) {
      const line = keys.get(key)
      assert.ok(line !== undefined, `${key} is in .env-sample`)
      if (line.value !== '') assert.equal(line.value, 'default' in setting ? String(setting.default) : '', `${key}: a value other than the default`)
      const bounds = range(setting)
      if (bounds !== undefined) assert.ok(line.comment.includes(bounds), `${key}: the comment above it says ${bounds}`)
    }
  })
})

describe('the cap of logins and logouts in flight (PROTOCOL.md §5: CUCM allows its "Maximum Concurrent Requests")', () => {
  test('README, .env-sample and the API document say its one rule, and the environment and the API take one range', async () => {
    const readmeRow = tableRows(section(repoFile('README.md'), 'Configuration')).find(([key]) => key === '`EMAPI_MAX_CONCURRENCY`')
    assert.ok(readmeRow?.[2]?.includes(MAX_CONCURRENCY_RULE), `README says: ${readmeRow?.[2] ?? 'nothing'}`)
    const sample = repoFile('.env-sample').split('\n')
    const comment = sample[sample.findIndex((line) => line.startsWith('EMAPI_MAX_CONCURRENCY=')) - 1] ?? ''
    assert.ok(comment.includes(MAX_CONCURRENCY_RULE), `.env-sample says: ${comment}`)
    assert.deepEqual([SETTINGS.EMAPI_MAX_CONCURRENCY.min, SETTINGS.EMAPI_MAX_CONCURRENCY.max], [MAX_CONCURRENCY.min, MAX_CONCURRENCY.max])
    const t = await buildTestApp({ mode: 'simulator', accounts: false })
    try {
      const docs = (await t.inject('/api/docs/json', 'none')).json() as { paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: { properties: Record<string, { description?: string, minimum?: number, maximum?: number }> } }> } }>> }
      const field = docs.paths['/api/clusters']?.post?.requestBody.content['application/json']?.schema.properties.maxConcurrency
      assert.ok(field?.description?.includes(MAX_CONCURRENCY_RULE), `the API document says: ${field?.description ?? 'nothing'}`)
      assert.deepEqual([field?.minimum, field?.maximum], [MAX_CONCURRENCY.min, MAX_CONCURRENCY.max])
    } finally {
      await t.close()
    }
  })
})

describe('docs/operations.md, "Notifications of failed runs"', () => {
  test('names every outcome a schedule\'s webhook can be sent, and .env-sample\'s NOTIFY_WEBHOOK_URL says when it is sent', () => {
    const notifications = section(repoFile('docs/operations.md'), 'Notifications of failed runs', '###')
    const sent = SCHEDULE_OUTCOMES.filter((outcome) => outcome !== 'success')
    assert.deepEqual(sent.filter((outcome) => !notifications.includes(`\`${outcome}\``)), [], 'outcomes sent but not explained')
    const comment = /((?:#.*\n)+)NOTIFY_WEBHOOK_URL=/.exec(repoFile('.env-sample'))?.[1] ?? ''
    // failure and error are both "fails" there; the others by their names.
    assert.deepEqual(sent.filter((outcome) => !comment.includes(['failure', 'error'].includes(outcome) ? 'fail' : outcome)), [], 'when .env-sample says the webhook is sent')
  })
})

describe('the command lines README.md and docs/operations.md show', () => {
  /** Every command line of the documents' shell and cron blocks, as the words after the CLI's name. */
  function commandLines (): Array<{ where: string, line: string }> {
    const found: Array<{ where: string, line: string }> = []
    for (const file of ['README.md', 'docs/operations.md']) {
      for (const [, block] of repoFile(file).matchAll(/```(?:sh|cron)\n([\s\S]*?)```/g)) {
        for (const line of (block ?? '').split('\n')) {
          // `npm run cli -- x`, `em-console x`, `node server/bundle/cli.js x`; a comment after # is not the command's.
          const match = /(?:npm run cli -- |^em-console |server\/bundle\/cli\.js )([^#>]*)/.exec(line)
          if (match?.[1] !== undefined) found.push({ where: file, line: match[1].trim() })
        }
      }
    }
    return found
  }

  test('name commands the CLI has, each with options it takes', () => {
    const lines = commandLines()
    assert.ok(lines.length > 25, `the examples are found (${lines.length})`)
    for (const { where, line } of lines) {
      const [command = ''] = line.split(' ')
      assert.ok(Object.hasOwn(COMMANDS, command) || ['help', 'version'].includes(command), `${where}: "${line}": no command ${command}`)
      const options: Record<string, { short?: string }> = Object.hasOwn(COMMANDS, command) ? COMMANDS[command as keyof typeof COMMANDS].options : {}
      for (const [, flag] of line.matchAll(/(?:^|[\s[|])--([a-z][a-z-]*)/g)) {
        assert.ok(Object.hasOwn(options, flag ?? ''), `${where}: "${line}": ${command} takes no --${flag ?? ''}`)
      }
      for (const [, short] of line.matchAll(/(?:^|[\s[|])-([a-z])\b/g)) {
        assert.ok(Object.values(options).some((option) => option.short === short), `${where}: "${line}": ${command} takes no -${short ?? ''}`)
      }
    }
  })

  test('docs/operations.md\'s table of exit codes has a row for each code the CLI exits with, and one for a stop by a signal', () => {
    const rows = section(repoFile('docs/operations.md'), 'Using only the command line from the OS scheduler').split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| code'))
    const numbered = rows.map((line) => /^\| (\d+) \|/.exec(line)?.[1]).filter((code) => code !== undefined).map(Number)
    assert.deepEqual(numbered, Object.values(EXIT))
    assert.ok(rows.some((line) => line.includes('SIGTERM')), 'a row for a command stopped by Ctrl-C or SIGTERM')
  })
})

describe('what README.md and docs/operations.md tell an admin to run or read', () => {
  const documents = ['README.md', 'docs/operations.md'].map((file) => ({ file, text: repoFile(file) }))

  test('every npm script they name is one of package.json\'s', () => {
    const scripts = Object.keys((JSON.parse(repoFile('package.json')) as { scripts: Record<string, string> }).scripts)
    for (const { file, text } of documents) {
      for (const [, script] of text.matchAll(/\bnpm run (?:-s )?([a-z][a-z:-]*)/g)) assert.ok(scripts.includes(script ?? ''), `${file}: npm run ${script ?? ''}`)
      for (const [, short] of text.matchAll(/\bnpm (test|start)\b/g)) assert.ok(scripts.includes(short ?? ''), `${file}: npm ${short ?? ''}`)
    }
  })

  test('every crontab line they give writes a % as \\% (cron turns a bare one into a line break)', () => {
    let lines = 0
    for (const { file, text } of documents) {
      for (const [, block] of text.matchAll(/```cron\n([\s\S]*?)```/g)) {
        for (const line of (block ?? '').split('\n').filter((l) => /^[\d*@]/.test(l))) {
          lines++
          assert.doesNotMatch(line, /(?<!\\)%/, `${file}: ${line}`)
        }
      }
    }
    assert.ok(lines >= 2, `the crontab lines are found (${lines})`)
  })

  test('every file of the repository they name in backticks or link to is there', () => {
    for (const { file, text } of documents) {
      const named = [...text.matchAll(/`((?:[a-z][\w.-]*\/)+[\w.-]+\.(?:ts|mjs|js|md|service|timer|json|sql))`|\]\(((?:\.\.\/)?[a-z][^)#:]*)[)#]/g)].map((m) => m[1] ?? m[2] ?? '')
      assert.ok(named.length > 5, `${file}: the paths are found`)
      for (const path of named) {
        // A path is given from the repository's root, from the document's folder, or below server/ or server/src/ (the Development notes).
        const candidates = [path, `docs/${path}`, `server/${path}`, `server/src/${path}`].map((p) => fileURLToPath(new URL(`../../${p}`, import.meta.url)))
        assert.ok(candidates.some(existsSync), `${file}: ${path}`)
      }
    }
  })

  test('every place of the dashboard they name as "Screen → Part" is a screen of its menu with a part of that heading', () => {
    // README sent an admin looking for a locked account to "Settings → Accounts", where Settings
    // has no such part: Accounts is a screen of its own in the menu.
    const webFile = (path: string): string => repoFile(`web/src/${path}`)
    const titles = Object.fromEntries([...webFile('app/router.ts').matchAll(/^ {2}'?([a-z-]+)'?: '([^']+)',?$/gm)].map(([, screen = '', title = '']) => [title, screen]))
    let places = 0
    for (const { file, text } of documents) {
      for (const [place, screenTitle = '', part = ''] of text.matchAll(/\b([A-Z][a-z]+(?: [a-z]+)?) → ([A-Z][a-z]+)/g)) {
        places++
        const screen = titles[screenTitle]
        assert.ok(screen !== undefined, `${file}: "${place}": the menu has no screen ${screenTitle}`)
        // The parts of a screen are the headings of the components its file puts on it.
        const screenFile = webFile(`app/screens/${screen}-screen.tsx`)
        const parts = [...screenFile.matchAll(/from '\.\.\/\.\.\/([^']+\.tsx)'/g)].flatMap(([, path = '']) => [...webFile(path).matchAll(/<h2[^>]*>([^<{]+)<\/h2>/g)].map(([, heading = '']) => heading.trim()))
        assert.ok(parts.includes(part), `${file}: "${place}": the ${screenTitle} screen's parts are ${parts.join(', ')}`)
      }
    }
    assert.ok(places > 3, 'the places are found')
  })
})
