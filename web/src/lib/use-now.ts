import { useEffect, useState } from 'react'

/** The time now, renewed every `everyMs`: "as of 2 min ago" and ages move on by themselves. */
export function useNow (everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs)
    return () => clearInterval(timer)
  }, [everyMs])
  return now
}
