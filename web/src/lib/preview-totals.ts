import type { Preview } from '@em-console/shared/schemas'
import { plural } from './format.ts'

// Apart from the preview's table (components/run-preview.tsx): the logout-all dialog on the first
// page counts a preview before it has fetched the table's file.

/**
 * What Start does, from a preview: the changes it sends (logouts of devices someone is on; every
 * login, an occupied phone's too, which CUCM may refuse) and the empty devices a logout run looks
 * up again as it goes (sent only if someone is on one by then). One rule for every Start button.
 */
export function previewTotals (preview: Preview | undefined): { toSend: number, toCheck: number } {
  if (preview === undefined) return { toSend: 0, toCheck: 0 }
  const { counts } = preview
  if (preview.action === 'login') return { toSend: (counts['will-login'] ?? 0) + (counts.occupied ?? 0), toCheck: 0 }
  // A user found logged in nowhere has no device to look at again.
  return { toSend: counts['will-logout'] ?? 0, toCheck: preview.items.filter((i) => i.category === 'empty' && i.device !== '').length }
}

/** What a Start button does, after "Start: ": the logouts it sends, and the empty devices it looks at again. */
export function startWords ({ toSend, toCheck }: { toSend: number, toCheck: number }): string {
  const again = `look at ${plural(toCheck, 'empty device')} again`
  if (toCheck === 0) return `log out ${plural(toSend, 'device')}`
  return toSend === 0 ? again : `log out ${plural(toSend, 'device')}, ${again}`
}
