import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { BENCH_ADMIN, Cleanup, REPO, startServer } from './lib.ts'

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
const file = join(REPO, 'bench', '.cache', 'inventory-20000-1000000-v2-schema016.db')
const cleanup = new Cleanup()
try {
  const work = mkdtempSync(join(tmpdir(), 'probe-'))
  cleanup.add(() => rmSync(work, { recursive: true, force: true }))
  const copy = join(work, 'em-console.db')
  copyFileSync(file, copy)
  const server = await startServer({ RATE_LIMIT_PER_MINUTE: '0', DATABASE_PATH: copy, INVENTORY_REFRESH_SECONDS: '0' })
  cleanup.add(server.stop)
  await server.compiled()
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
  cleanup.add(async () => await browser.close())
  for (let i = 0; i < 6; i++) {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 860 } })
    await context.request.post('/api/session', { data: BENCH_ADMIN })
    const page = await context.newPage()
    await page.addInitScript(() => { (window as any).__long = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) (window as any).__long.push(`${Math.round(e.startTime)}+${Math.round(e.duration)}`) }).observe({ type: 'longtask', buffered: true }); (window as any).__dom = []; let last = ''; new MutationObserver(() => { const main = document.querySelector('main'); const t = main === null ? 'no-main' : main.querySelector('[data-session-row]') !== null ? 'rows' : main.querySelector('form') !== null ? 'view' : (main.textContent ?? '').includes('Loading') ? 'loading' : 'other'; if (t !== last) { last = t; (window as any).__dom.push(`${Math.round(performance.now())}:${t}`) } }).observe(document, { childList: true, subtree: true }) })
    await page.goto('/#/' + (process.argv[2] ?? 'sessions'), { waitUntil: 'commit' })
    const usable = await page.waitForFunction(() => {
      const d = document
      const row = d.querySelector('[data-session-row]')
      const count = d.querySelector('[data-sessions-total]')
      return row !== null && (row as any).checkVisibility() && count?.textContent?.includes('20,000') === true ? performance.now() : false
    }, undefined, { polling: 'raf', timeout: 20_000 })
    const at = await usable.jsonValue() as number
    const entries = await page.evaluate(() => performance.getEntriesByType('resource').map((e: any) => `${Math.round(e.startTime)}-${Math.round(e.responseEnd)} ${e.name.replace(location.origin, '')} ${e.transferSize}`))
    const nav = await page.evaluate(() => { const n = performance.getEntriesByType('navigation')[0] as any; return `nav resp ${Math.round(n.responseEnd)} dcl ${Math.round(n.domContentLoadedEventEnd)}` })
    console.log(`usable ${Math.round(at)} ms; ${nav}`)
    const longs = await page.evaluate(() => (window as any).__long.join(' ') + ' | dom: ' + (window as any).__dom.join(' '))
    console.log('long tasks: ' + longs)

    await context.close()
  }
} finally {
  await cleanup.run()
}
