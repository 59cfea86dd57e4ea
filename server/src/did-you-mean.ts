/** Edits (a letter added, dropped, changed or two swapped) that turn `a` into `b`. */
function distance (a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min((d[i - 1]?.[j] ?? 0) + 1, (d[i]?.[j - 1] ?? 0) + 1, (d[i - 1]?.[j - 1] ?? 0) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (d[i - 2]?.[j - 2] ?? 0) + 1)
      const row = d[i]
      if (row !== undefined) row[j] = best
    }
  }
  return d[a.length]?.[b.length] ?? Infinity
}

/** The one of `choices` a typo of `word` most likely meant (two edits at most, fewer for short words), or undefined. */
export function closest (word: string, choices: readonly string[]): string | undefined {
  const limit = word.length <= 4 ? 1 : 2
  let found: { choice: string, edits: number } | undefined
  for (const choice of choices) {
    const edits = distance(word.toLowerCase(), choice.toLowerCase())
    if (edits <= limit && (found === undefined || edits < found.edits)) found = { choice, edits }
  }
  return found?.choice
}
