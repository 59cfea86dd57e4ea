import { outcomeCountsText, shortRunId } from '@em-console/shared/display'
import type { RunAction, RunState } from '@em-console/shared/schemas'

/**
 * The words of a run's one `bulk-run` summary record, kept on the run's row from its start (a run
 * cut short by a crash is summed up at the next start, when its list or selection is gone):
 * `title`, what the run was (without it: "Bulk logout"); `note`, said after its id (when the
 * inventory was read); `cluster`, the one it concerns, so History filtered by it shows the record.
 */
export interface RunWords {
  title?: string
  note?: string
  cluster?: string
}

/** What a run of a device list of Settings is. */
export const listTitle = (name: string): string => `Per-device logout of the list "${name}"`

/**
 * A run's summary in words: its title, its total of items and its short id, then its counts
 * ("Per-device logout of the list "Lobby": 5 devices (run 1a2b3c4d): 4 success, 1 excluded.").
 */
export function summaryText (run: { id: string, action: RunAction, state: RunState, total: number, counts: Readonly<Record<string, number>> }, words: RunWords): string {
  const { id, action, state, total, counts } = run
  const devices = `${total} device${total === 1 ? '' : 's'}`
  const said = `(run ${shortRunId(id)}${words.note === undefined ? '' : `, ${words.note}`})`
  const title = words.title === undefined ? `Bulk ${action} of ${devices} ${said}` : `${words.title}: ${devices} ${said}`
  // A run cut short before its items were written has none: not "nothing to do".
  const outcome = total > 0 ? outcomeCountsText(counts) : state === 'interrupted' ? 'cut short before its devices were listed' : 'nothing to do'
  return `${title}: ${outcome}.`
}
