// Finds a Chromium for the end-to-end tests before Playwright starts, so a fresh machine gets a
// clear instruction instead of a stack trace. Order: CHROMIUM_PATH, /usr/bin/chromium, Playwright's
// own download. On Debian/Ubuntu as root it installs Debian's `chromium` (Playwright cannot
// download browsers on our machines; STACK.md trap 7). playwright.config.ts repeats the same search.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { chromium } from '@playwright/test'

const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser']

function playwrightChromium () {
  try {
    const path = chromium.executablePath()
    return existsSync(path) ? path : undefined
  } catch {
    return undefined
  }
}

function find () {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv
    fail(`CHROMIUM_PATH is set to ${fromEnv}, but no file exists there.`)
  }
  return SYSTEM_PATHS.find((path) => existsSync(path)) ?? playwrightChromium()
}

function isDebianLike () {
  try {
    const release = readFileSync('/etc/os-release', 'utf8')
    return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(release)
  } catch {
    return false
  }
}

function fail (message) {
  console.error(`\nfind-chromium: ${message}\n
The end-to-end tests need Chromium. Install one of these, then run the tests again:
  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y chromium
  Fedora:         sudo dnf install -y chromium
  macOS:          brew install --cask chromium   (then export CHROMIUM_PATH=/Applications/Chromium.app/Contents/MacOS/Chromium)
  Any system:     npx playwright install chromium   (needs access to Playwright's download host)
Or point CHROMIUM_PATH at an existing Chromium or Chrome binary.\n`)
  process.exit(1)
}

function aptInstall () {
  console.log('find-chromium: no Chromium found; installing Debian\'s chromium with apt-get')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  // A fresh machine may be installing packages already (unattended-upgrades, another npm test):
  // apt-get waits up to 10 minutes for their lock instead of failing at once.
  const apt = (...args) => spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], { stdio: 'inherit', env })
  let result = apt('install', '-y', '--no-install-recommends', 'chromium')
  if (result.status !== 0) {
    // A fresh image often has empty package lists: refresh them once and retry.
    apt('update')
    result = apt('install', '-y', '--no-install-recommends', 'chromium')
  }
  return result.status === 0
}

let path = find()
if (path === undefined) {
  if (process.platform === 'linux' && isDebianLike() && process.getuid?.() === 0) {
    if (!aptInstall()) fail('apt-get could not install chromium.')
    path = find()
  }
  if (path === undefined) fail('no Chromium found (looked at CHROMIUM_PATH, /usr/bin/chromium and Playwright\'s browsers).')
}

let version = ''
try {
  version = execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 20_000 }).trim()
} catch {
  // Some builds refuse --version without a display; the path is enough for Playwright.
}
console.log(`find-chromium: using ${path}${version ? ` (${version})` : ''}`)
