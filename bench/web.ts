/**
 * P4, the web app: (1) the initial JavaScript, gzipped: the entry script and the modulepreload
 * chunks web/dist/index.html references, ≤ 100 KB (1 KB = 1,000 bytes); (2) in Chromium, from
 * navigation start to the Overview being usable (the "Log out all EM users" button visible and
 * enabled), signed in first through the API, against the server in demo mode on loopback: the
 * median of several cold navigations (a fresh browser context each, so an empty HTTP cache) ≤ 1 s.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { launchChromium, signedInContext } from './browser.ts'
import { Cleanup, machine, median, QUICK, REPO, report, round, startServer } from './lib.ts'

const SIZE_TARGET_KB = 100
const USABLE_TARGET_MS = 1000
const NAVIGATIONS = QUICK ? 3 : 9
const DIST = join(REPO, 'web', 'dist')
const BUTTON = 'Log out all EM users'

/** Attribute values of every `<tag ...>` in the page, as maps. */
function tags (html: string, tag: string): Array<Map<string, string>> {
  return [...html.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'gi'))].map((m) => new Map([...(m[1] ?? '').matchAll(/([\w-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)].map((a) => [(a[1] ?? '').toLowerCase(), a[2] ?? a[3] ?? a[4] ?? ''])))
}

const index = join(DIST, 'index.html')
if (!existsSync(index)) {
  console.error(`${index} is missing: run "npm run build" first.`)
  process.exit(2)
}
const html = readFileSync(index, 'utf8')
const initial = [
  ...tags(html, 'script').filter((a) => a.get('type') === 'module' && a.has('src')).map((a) => a.get('src') ?? ''),
  ...tags(html, 'link').filter((a) => (a.get('rel') ?? '').split(/\s+/).includes('modulepreload')).map((a) => a.get('href') ?? '')
]
const files = initial.map((src) => {
  const path = join(DIST, src.replace(/^\//, ''))
  const body = readFileSync(path)
  // What the server sends a browser that accepts brotli: the build's .br beside the file.
  const sent = existsSync(`${path}.br`) ? readFileSync(`${path}.br`).length : body.length
  return { file: src, bytes: body.length, gzip: gzipSync(body).length, sent }
})
const gzipKb = files.reduce((sum, f) => sum + f.gzip, 0) / 1000
const sentKb = files.reduce((sum, f) => sum + f.sent, 0) / 1000
report({
  name: 'p4-web-initial-js',
  figure: round(gzipKb),
  unit: 'KB gzip',
  target: `≤ ${SIZE_TARGET_KB}`,
  pass: files.length > 0 && gzipKb <= SIZE_TARGET_KB,
  details: { sentKb: round(sentKb), files }
})
if (gzipKb > SIZE_TARGET_KB) process.exitCode = 1

interface PageButton { textContent: string | null, disabled: boolean, checkVisibility: () => boolean }

/**
 * Runs in the page on every frame: the page's clock (ms since its navigation start) once the
 * button is on screen and enabled, else false. A function, not a string: the app's CSP forbids eval.
 */
function usableAt (label: string): number | false {
  const page = globalThis as unknown as { document: { querySelectorAll: (s: string) => Iterable<PageButton> }, performance: { now: () => number } }
  const button = Array.from(page.document.querySelectorAll('button')).find((b) => b.textContent?.trim() === label)
  return button !== undefined && !button.disabled && button.checkVisibility() ? page.performance.now() : false
}

const cleanup = new Cleanup()
try {
  const server = await startServer({ RATE_LIMIT_PER_MINUTE: '0', SIGN_IN_PER_MINUTE: '1000', LOG_LEVEL: 'warn' })
  cleanup.add(server.stop)
  const browser = await launchChromium()
  cleanup.add(async () => await browser.close())

  const navigate = async (): Promise<{ inPage: number, wall: number }> => {
    const context = await signedInContext(browser, server.url)
    try {
      const page = await context.newPage()
      const started = performance.now()
      await page.goto('/', { waitUntil: 'commit' })
      // performance.now() in the page counts from its navigation start.
      const usable = await page.waitForFunction(usableAt, BUTTON, { polling: 'raf', timeout: 20_000 })
      const inPage = await usable.jsonValue() as number
      const wall = performance.now() - started
      if (!await page.getByRole('button', { name: BUTTON }).isEnabled()) throw new Error('the button is not enabled')
      return { inPage, wall }
    } finally {
      await context.close()
    }
  }

  await navigate() // Chromium's own first start (profile, GPU process) is not the app's cost.
  const runs: Array<{ inPage: number, wall: number }> = []
  for (let i = 0; i < NAVIGATIONS; i++) runs.push(await navigate())
  const figure = median(runs.map((r) => r.inPage))
  report({
    name: 'p4-web-usable',
    figure: Math.round(figure),
    unit: 'ms navigation to usable Overview (median, cold cache)',
    target: `≤ ${USABLE_TARGET_MS}`,
    pass: figure <= USABLE_TARGET_MS,
    details: { navigations: NAVIGATIONS, inPageMs: runs.map((r) => Math.round(r.inPage)), wallMedianMs: Math.round(median(runs.map((r) => r.wall))), server: server.entry, quick: QUICK, ...machine() }
  })
  if (figure > USABLE_TARGET_MS) process.exitCode = 1
} finally {
  await cleanup.run()
}
