import { useEffect } from 'react'

/** How long a button disabled while its action runs keeps its claim to the focus. */
const DISABLED_WAIT_MS = 1500

/** What may take the focus back when the focused element goes: the nearest of these around it. */
const HOLDERS = 'tr, form, [role="region"], section, dialog, main'

function holdersOf (element: HTMLElement): HTMLElement[] {
  const found: HTMLElement[] = []
  for (let holder = element.parentElement?.closest<HTMLElement>(HOLDERS); holder != null; holder = holder.parentElement?.closest<HTMLElement>(HOLDERS)) found.push(holder)
  return found
}

/** Focuses the first of `holders` still on the page; one that takes no focus by itself takes it this once. */
export function focusFirstConnected (holders: readonly HTMLElement[]): void {
  const holder = holders.find((h) => h.isConnected)
  if (holder === undefined) return
  if (!holder.matches('[tabindex], a[href], button, input, select, textarea')) {
    // Focusable for this once: a click on it later does not take the focus.
    holder.tabIndex = -1
    holder.addEventListener('blur', () => { holder.removeAttribute('tabindex') }, { once: true })
  }
  holder.focus({ preventScroll: true })
}

/** The wait for a busy button going on now: the person's own click, key or scroll ends it. */
let stopWaiting = (): void => {}

/** The control drawn in the place of `gone` (the same id): a screen keyed by what it shows, a Disable become Enable. */
function drawnAgain (gone: HTMLElement): HTMLElement | null {
  return gone.id === '' ? null : document.getElementById(gone.id)
}

/**
 * Gives the focus back to `target`: at once if it can take it; once enabled again if it is disabled
 * while its action runs (then, still disabled a while later, to its nearest holder); if it is gone,
 * to the control drawn again in its place (same id), else to the nearest of `holders` still there.
 */
export function returnFocus (target: HTMLElement, holders: readonly HTMLElement[] = holdersOf(target)): void {
  stopWaiting()
  if (!target.isConnected) {
    const again = drawnAgain(target)
    if (again === null) focusFirstConnected(holders)
    else returnFocus(again, holders)
    return
  }
  if (!target.matches(':disabled')) {
    target.focus({ preventScroll: true })
    return
  }
  watchAWhile({ subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] }, () => {
    if (document.activeElement !== document.body) stopWaiting()
    else if (!target.isConnected) returnFocus(target, holders)
    else if (!target.matches(':disabled')) { stopWaiting(); target.focus({ preventScroll: true }) }
  }, () => {
    // Still disabled a while later (a form's button until it is filled in again): its form takes it.
    if (document.activeElement === document.body) focusFirstConnected(holders)
  })
}

/** Calls `onChange` on each change of the page, for DISABLED_WAIT_MS at most (then `onGiveUp`), unless stopWaiting() ends it first. */
function watchAWhile (options: MutationObserverInit, onChange: () => void, onGiveUp: () => void = () => {}): void {
  const watching = new MutationObserver(onChange)
  watching.observe(document.body, options)
  const giveUp = setTimeout(() => {
    stopWaiting()
    onGiveUp()
  }, DISABLED_WAIT_MS)
  stopWaiting = () => {
    watching.disconnect()
    clearTimeout(giveUp)
    stopWaiting = () => {}
  }
}

/** What a history entry notes of the link in <main> that left it (its href): Back focuses that link again. */
const LEFT_BY = 'focusLeftBy'

function rememberLinkLeftBy (event: MouseEvent): void {
  const link = event.target instanceof Element ? event.target.closest('main a[href^="#/"]') : null
  const href = link?.getAttribute('href')
  if (href == null || event.defaultPrevented) return
  const state: unknown = window.history.state
  window.history.replaceState({ ...(typeof state === 'object' ? state : {}), [LEFT_BY]: href }, '')
}

function focusLinkLeftBy (event: PopStateEvent): void {
  const state: unknown = event.state
  const href = typeof state === 'object' && state !== null && LEFT_BY in state ? state[LEFT_BY] : undefined
  if (typeof href !== 'string') return
  // The screen is drawn again after the address's change: the link is awaited a while, as a busy button is.
  stopWaiting()
  watchAWhile({ subtree: true, childList: true }, () => {
    const link = document.querySelector<HTMLElement>(`main a[href="${CSS.escape(href)}"]`)
    if (link !== null) returnFocus(link)
  })
}

/**
 * Keeps the keyboard's place: the focus fell to <body> after a look-up, a confirmed logout, a
 * preview or a save (its button disabled while it ran, or replaced by the result), and a screen
 * reader then starts again from the top. A button disabled while busy gets the focus back once
 * enabled again; one removed leaves it to the same control drawn again (same id, once enabled),
 * else to the nearest row, form or region still around where it was. A focus the person moved away
 * themselves (a click elsewhere, a key, a scroll while it waited) is left alone. Browsers that
 * send no focusout for a removed element (Firefox) keep their own behaviour. Back to a screen left
 * by a link (a run's item to its audit record) gives that link the focus again, if it is there.
 */
export function useFocusKeeper (): void {
  useEffect(() => {
    const element = document.body
    const onFocusOut = (event: FocusEvent): void => {
      const target = event.target
      if (!(target instanceof HTMLElement) || event.relatedTarget !== null) return
      const holders = holdersOf(target)
      // After the change that took the focus away (React commits a whole render at once).
      queueMicrotask(() => {
        if (document.activeElement !== document.body) return
        if (!target.isConnected || target.matches(':disabled')) returnFocus(target, holders)
      })
    }
    element.addEventListener('focusout', onFocusOut)
    document.addEventListener('click', rememberLinkLeftBy)
    window.addEventListener('popstate', focusLinkLeftBy)
    // The person acts meanwhile (a click, a key, a scroll): where the focus goes is theirs.
    const stop = (): void => { stopWaiting() }
    const theirs = ['pointerdown', 'keydown', 'wheel'] as const
    for (const type of theirs) document.addEventListener(type, stop, { capture: true, passive: true })
    return () => {
      stop()
      element.removeEventListener('focusout', onFocusOut)
      document.removeEventListener('click', rememberLinkLeftBy)
      window.removeEventListener('popstate', focusLinkLeftBy)
      for (const type of theirs) document.removeEventListener(type, stop, { capture: true })
    }
  }, [])
}
