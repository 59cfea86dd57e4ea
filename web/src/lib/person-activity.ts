/**
 * When the person last used the dashboard (a key, a click or touch, a pointer moved, a scroll).
 * The server's idle limit (SESSION_IDLE_MINUTES) counts from it: a request the page makes on its
 * own while nobody uses it (a poll of the health, the runs, the inventory) says so and does not
 * renew the session, or an open tab would keep it alive for good.
 */
const QUIET_MS = 30_000
let lastUsedAt = Date.now()

if (typeof window !== 'undefined') {
  for (const event of ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const) {
    window.addEventListener(event, () => { lastUsedAt = Date.now() }, { capture: true, passive: true })
  }
}

/** Whether nobody has used the page for a while: its requests now are its own, not the person's. */
export function pageUnattended (): boolean {
  return Date.now() - lastUsedAt > QUIET_MS
}
