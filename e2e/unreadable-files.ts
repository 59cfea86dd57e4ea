import type { Page } from '@playwright/test'

/** Chromium's words when a chosen file can no longer be read. */
export const NOT_READABLE = 'The requested file could not be read, typically due to permission problems that have occurred after a reference to a file was acquired.'

/**
 * From the next page load on, every file the person chooses fails to read, as one moved, deleted
 * or no longer permitted since it was chosen does: its reads reject with a NotReadableError.
 * Other blobs read as usual.
 */
export async function makeChosenFilesUnreadable (page: Page): Promise<void> {
  await page.addInitScript((message) => {
    const fail = async (): Promise<never> => { throw new DOMException(message, 'NotReadableError') }
    for (const read of ['text', 'arrayBuffer', 'bytes'] as const) Object.defineProperty(File.prototype, read, { value: fail, configurable: true })
  }, NOT_READABLE)
}
