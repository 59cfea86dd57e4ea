const HOUR = 3_600_000
const DAY = 24 * HOUR

/** A calendar day of one time zone, from the instant it begins to the one the next begins (epoch milliseconds). */
export interface LocalDay {
  date: string
  from: number
  to: number
}

type DateReader = (instant: number) => string

/** Readers by zone: building one costs close to a millisecond, reading with it microseconds. Bounded: the zone is the caller's. */
const readers = new Map<string, DateReader>()
const MAX_READERS = 100

/** Reads an instant's calendar date in `timezone` (an IANA name the caller checked) as YYYY-MM-DD. */
function dateReader (timezone: string): DateReader {
  let reader = readers.get(timezone)
  if (reader === undefined) {
    const format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' })
    reader = (instant) => {
      const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]))
      return `${parts.year}-${parts.month}-${parts.day}`
    }
    if (readers.size >= MAX_READERS) readers.clear()
    readers.set(timezone, reader)
  }
  return reader
}

/** The calendar date `days` after (or before) `date`, both YYYY-MM-DD: calendar arithmetic, no zone in it. */
function addDays (date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10)
}

/**
 * When `date` begins: the first instant the zone reads as that date. Its midnight mostly, but
 * 01:00 where a clock change skips midnight (America/Santiago), and a day the zone skipped
 * (Pacific/Apia, 30 Dec 2011) begins and ends at once. `guess`: the likely instant (the day
 * before's start + 24 h), right unless a clock changed that day; else the start is searched for.
 */
function dayStart (date: string, dateAt: DateReader, guess?: number): number {
  const begins = (instant: number): boolean => dateAt(instant) >= date && dateAt(instant - 1) < date
  if (guess !== undefined && begins(guess)) return guess
  // UTC offsets lie between -12 h and +14 h, so the day begins between these two instants, and
  // the date a zone reads only grows with time: halving finds the first instant of it, to the millisecond.
  const midnight = Date.parse(`${date}T00:00:00Z`)
  let before = midnight - 14 * HOUR - 1
  let from = midnight + 12 * HOUR
  while (from - before > 1) {
    const middle = Math.floor((before + from) / 2)
    if (dateAt(middle) < date) before = middle
    else from = middle
  }
  return from
}

/**
 * The last `count` calendar days of `timezone` up to the one holding `now`, oldest first. A day
 * lasts 23 or 25 hours across a daylight-saving change; a zone of a :30 or :45 offset begins its
 * days at :30 or :45 UTC.
 */
export function localDays (count: number, timezone: string, now: Date): LocalDay[] {
  const dateAt = dateReader(timezone)
  const today = dateAt(now.getTime())
  const days: LocalDay[] = []
  let from = dayStart(addDays(today, 1 - count), dateAt)
  for (let i = 1 - count; i <= 0; i++) {
    const to = dayStart(addDays(today, i + 1), dateAt, from + DAY)
    days.push({ date: addDays(today, i), from, to })
    from = to
  }
  return days
}
