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
