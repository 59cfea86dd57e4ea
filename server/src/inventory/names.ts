/**
 * Device names and user IDs as SQLite's NOCASE collation orders them: ASCII letters folded to
 * lower case, then compared byte by byte in UTF-8. The refresh splits a listing into ranges that
 * SQLite must read back in the same order (inventory-repository.ts), so both sides use this.
 */

export function nocaseKey (name: string): string {
  // For ASCII, folding A-Z is toLowerCase, many times faster than a replace per run of capitals
  // (20,000 phone names: 30–50 ms of one held event loop, bench:inventory).
  return ASCII.test(name) ? name.toLowerCase() : name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase())
}

/** Printable ASCII: what device names and user IDs almost always are. */
const ASCII = /^[ -~]*$/

/** Compares two nocaseKey() values as SQLite compares them (UTF-8 bytes, not UTF-16 units). */
function compareKeys (a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

/** The largest code point: `prefix + LAST` is above every name that starts with the prefix. */
const LAST = String.fromCodePoint(0x10FFFF)

/** The half-open range [prefix, prefix + U+10FFFF) of names starting with a prefix: an index range read. */
export function prefixRange (prefix: string): [string, string] {
  return [prefix, prefix + LAST]
}

/** `abc` → `%abc%` for a LIKE ... ESCAPE '\', with LIKE's own wildcards taken literally. */
export function containsPattern (text: string): string {
  return '%' + text.replace(/[\\%_]/g, (c) => '\\' + c) + '%'
}

export interface KeyRange<T> {
  /** Inclusive lower bound, or null for "from the start". */
  from: string | null
  /** Exclusive upper bound, or null for "to the end". */
  to: string | null
  items: T[]
}

/**
 * Cuts a listing into ranges of at most `size` items in NOCASE order, covering every key: the first
 * range has no lower bound and the last no upper bound, so rows that are in the database but not
 * in the listing (gone since the last refresh) fall in exactly one range. An empty listing is one
 * range over everything.
 */
export function keyRanges<T> (items: readonly T[], nameOf: (item: T) => string, size: number): Array<KeyRange<T>> {
  const keyed = items.map((item) => ({ item, key: nocaseKey(nameOf(item)) }))
  // Device names are ASCII: then UTF-16 order is UTF-8 order, and plain string comparison (fast)
  // agrees with SQLite. Anything else is compared as UTF-8 bytes.
  const ascii = keyed.every((k) => ASCII.test(k.key))
  const compare = ascii ? (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0) : compareKeys
  keyed.sort((a, b) => compare(a.key, b.key))
  const ranges: Array<KeyRange<T>> = []
  let start = 0
  do {
    let end = Math.min(start + size, keyed.length)
    // Names equal under NOCASE stay in one range: a range boundary is a key, not a position.
    while (end < keyed.length && end > start && (keyed[end] as { key: string }).key === (keyed[end - 1] as { key: string }).key) end++
    const next = keyed[end]
    ranges.push({
      from: start === 0 ? null : nameOf((keyed[start] as { item: T }).item),
      to: next === undefined ? null : nameOf(next.item),
      items: keyed.slice(start, end).map((k) => k.item)
    })
    start = end
  } while (start < keyed.length)
  return ranges
}
