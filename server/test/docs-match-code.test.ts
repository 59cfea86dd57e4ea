import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, test } from 'node:test'
import { buildTestApp } from './helpers/app.ts'

/**
 * A new admin installs EM Console from README.md, docs/operations.md and .env-sample alone. What
 * those documents name (settings, REST paths, CLI commands) is checked here against the code, so
 * that a change to one without the other fails the suite instead of misleading the next admin.
 */

const repoFile = (path: string): string => readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8')

/** The text of a `## ` section of a Markdown document, its heading included. */
function section (markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`)
  assert.ok(start >= 0, `the section "${heading}" is there`)
  const end = markdown.indexOf('\n## ', start + 1)
  return markdown.slice(start, end < 0 ? undefined : end)
}

/** The rows of the Markdown tables of a text whose first cell names something in backticks. */
function tableRows (text: string): string[][] {
  return text.split('\n').filter((line) => line.startsWith('| `')).map((line) => line.slice(2, -2).split(' | '))
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
