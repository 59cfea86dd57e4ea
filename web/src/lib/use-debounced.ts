import { useEffect, useState } from 'react'

/** The value, once it has stopped changing for `delayMs`: typing a user ID is not a query per key. */
export function useDebounced<T> (value: T, delayMs = 400): T {
  const [debounced, setDebounced] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs)
    return () => clearTimeout(timer)
  }, [value, delayMs])
  return debounced
}

/** Characters of pasted lists from which reading them takes longer than drawing a keystroke (~600 device names). */
const LONG_LISTS_CHARS = 10_000
/** The pause in typing after which long lists are read. */
const LONG_LISTS_PAUSE_MS = 200

/**
 * Pasted lists as a screen reads them (counts, repeats, names that are not valid), `chars` long in
 * all: short ones as typed; long ones (thousands of names, ~10 ms to read on a fast machine) once
 * typing pauses, so that each keystroke is drawn at once and what is said of the lists follows.
 * A screen's buttons read what its fields hold, not this.
 */
export function useListsRead<T> (lists: T, chars: number): T {
  const paused = useDebounced(lists, LONG_LISTS_PAUSE_MS)
  return chars < LONG_LISTS_CHARS ? lists : paused
}
