import { existsSync } from 'node:fs'

/**
 * The Chromium the tests launch: CHROMIUM_PATH, else Debian's, else undefined (Playwright's own).
 * find-chromium.mjs runs first and installs one when none exists.
 */
export function chromiumPath (): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path))
}

/** STACK.md trap 7: flags that keep Debian's Chromium quiet and working in containers. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic'
]
