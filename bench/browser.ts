/**
 * Chromium for the benches that measure the dashboard (web, inventory, typing): Debian's, with the
 * flags that keep it quiet in a container (STACK.md trap 7), and a context signed in as the bench's
 * admin (the context's request API shares the browser's cookie jar: its pages start signed in).
 */
import { chromium, type Browser, type BrowserContext } from '@playwright/test'
import { BENCH_ADMIN } from './lib.ts'

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']

export async function launchChromium (): Promise<Browser> {
  return await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
}

/** A new context of `browser` on the server at `url`, signed in as the bench's admin. */
export async function signedInContext (browser: Browser, url: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 860 } })
  const res = await context.request.post('/api/session', { data: BENCH_ADMIN })
  if (!res.ok()) {
    const said = `sign-in failed: ${res.status()} ${await res.text()}`
    await context.close()
    throw new Error(said)
  }
  return context
}
