/**
 * Typing in a list of 5,000 phones, in Chromium (the built dashboard, demo mode): a keystroke in
 * the text box of 5,000 names of the Devices page (its look-up of them on screen), of the New bulk
 * run form and of Settings (Exempt devices). The figure of each screen is the median time from a
 * keydown to the next frame drawn, as a ratio to the same keystroke in the floor, run side by side:
 * the same text box holding the same names alone in a page (Chromium's own cost of a 75 KB text
 * box, most of a keystroke's time). Target ≤ 1.25 ×: a keystroke does not read the list again nor
 * draw the table again (the reading follows the keystroke, deferred). Beside it, in the details,
 * the app's own script in a keystroke (its input event, the render it causes included), in ms.
 */
import type { Locator, Page } from '@playwright/test'
import { launchChromium, signedInContext } from './browser.ts'
import { Cleanup, machine, median, QUICK, report, round, startServer } from './lib.ts'

const NAMES = 5000
const KEYS = QUICK ? 5 : 15
const FRAME_TARGET = 1.25

const names = Array.from({ length: NAMES }, (_, i) => `SEP${(0x001122330000 + i).toString(16).toUpperCase().padStart(12, '0')}`).join('\n')

interface Keystrokes { script: number[], frame: number[] }

/** What the in-page functions use of the page (this script is type-checked without the DOM's types). */
interface PageGlobals {
  document: { addEventListener: (type: string, listener: () => void, capture: boolean) => void }
  addEventListener: (type: string, listener: () => void) => void
  requestAnimationFrame: (callback: () => void) => void
  performance: { now: () => number }
  keystrokes?: Keystrokes
}

/** Sets a text box's value as a paste does (Playwright's fill of 5,000 lines is quadratic). */
async function paste (box: Locator, text: string): Promise<void> {
  await box.evaluate((element, value) => {
    // The prototype's setter (HTMLTextAreaElement's), as a paste sets it: React sees the change.
    Object.getOwnPropertyDescriptor(Object.getPrototypeOf(element) as object, 'value')?.set?.call(element, value)
    element.dispatchEvent(new Event('input', { bubbles: true }))
  }, text)
}

/**
 * Presses a key KEYS times in `box`, one at a time: each keystroke's script (its input event,
 * first listener to last: the document's in capture, the window's in bubbling, React's root between
 * with the render it flushes) and the time from its keydown to the next frame drawn.
 */
async function type (page: Page, box: Locator): Promise<Keystrokes> {
  await box.click()
  await page.keyboard.press('End')
  await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals
    // The dashboard changes screens without loading a page: its listeners are added once.
    const added = w.keystrokes !== undefined
    w.keystrokes = { script: [], frame: [] }
    if (added) return
    let down = 0
    let input = 0
    w.document.addEventListener('keydown', () => { down = w.performance.now() }, true)
    w.document.addEventListener('input', () => { input = w.performance.now() }, true)
    w.addEventListener('input', () => {
      w.keystrokes?.script.push(w.performance.now() - input)
      // After the frame's rAF callbacks come its style, layout and paint: then the next task.
      w.requestAnimationFrame(() => { setTimeout(() => { w.keystrokes?.frame.push(w.performance.now() - down) }, 0) })
    })
  })
  for (let i = 0; i < KEYS; i++) {
    await page.keyboard.press('x')
    // The deferred reading of the list runs now: the next keystroke starts from a quiet page.
    await page.waitForTimeout(250)
  }
  return await page.evaluate(() => (globalThis as unknown as PageGlobals).keystrokes ?? { script: [], frame: [] })
}

const cleanup = new Cleanup()
try {
  const server = await startServer({ RATE_LIMIT_PER_MINUTE: '0', SIGN_IN_PER_MINUTE: '1000', LOG_LEVEL: 'warn' })
  cleanup.add(server.stop)
  const browser = await launchChromium()
  cleanup.add(async () => await browser.close())
  const context = await signedInContext(browser, server.url)
  const page = await context.newPage()

  // The floor: the same text box, alone in a page.
  await page.setContent('<textarea rows="6" cols="60" spellcheck="false"></textarea>')
  await paste(page.locator('textarea'), names)
  const floor = await type(page, page.locator('textarea'))

  const screens: Array<{ name: string, open: () => Promise<Locator> }> = [
    {
      name: 'devices',
      open: async () => {
        await page.goto('/#/devices')
        const lookup = page.getByRole('region', { name: 'Look up devices' })
        const box = lookup.getByLabel('Device names')
        await paste(box, names)
        await lookup.getByRole('button', { name: 'Look up' }).click()
        await lookup.getByText(/^5,000 devices:/).waitFor({ timeout: 60_000 })
        return box
      }
    },
    {
      name: 'runs',
      open: async () => {
        await page.goto('/#/runs')
        const box = page.getByLabel('Paste device names')
        await paste(box, names)
        await page.getByRole('button', { name: 'Preview' }).waitFor()
        await page.waitForTimeout(500)
        return box
      }
    },
    {
      name: 'settings',
      open: async () => {
        await page.goto('/#/settings')
        const box = page.getByLabel('Exempt devices')
        await paste(box, names)
        await page.getByText(/^5,000 devices\./).waitFor()
        return box
      }
    }
  ]
  for (const screen of screens) {
    const keystrokes = await type(page, await screen.open())
    const figure = round(median(keystrokes.frame) / median(floor.frame), 3)
    report({
      name: `web-typing-${screen.name}`,
      figure,
      unit: `× the text box alone: a keystroke to the next frame in a list of ${NAMES.toLocaleString('en')} names (median)`,
      target: `≤ ${FRAME_TARGET}`,
      pass: figure <= FRAME_TARGET,
      details: {
        keys: KEYS,
        frameMedianMs: round(median(keystrokes.frame)),
        floorFrameMedianMs: round(median(floor.frame)),
        scriptMedianMs: round(median(keystrokes.script)),
        scriptMs: keystrokes.script.map((ms) => round(ms)),
        quick: QUICK,
        ...machine()
      }
    })
    if (figure > FRAME_TARGET) process.exitCode = 1
  }
} finally {
  await cleanup.run()
}
