import { outcomeCountsText, runItemsNoun, shortRunId } from '@em-console/shared/display'
import { uniqueNames } from '@em-console/shared/rules'
import type { RetryScope, RunAction, RunState } from '@em-console/shared/schemas'
import { describeSelection, inventoryNote } from '../inventory/session-logout.js'
import { sentence } from '../services/errors.js'
import type { CsvSource, RunInput } from './plan.js'

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

/** What a run of another run's failed items, or of the items it did not reach, is. */
export const retryTitle = (scope: RetryScope, parentId: string): string =>
  scope === 'failed' ? `Retry of the failed items of run ${shortRunId(parentId)}` : `Rest of run ${shortRunId(parentId)}, the items it did not reach`

/** So many names of a list are said in a title; the others are counted. */
const NAMES_SAID = 3

/** A list of names, the first few said, the rest counted ("jdoe, asmith, bwayne and 9 more"). */
function someNames (names: readonly string[]): string {
  const said = names.slice(0, NAMES_SAID).join(', ')
  return names.length > NAMES_SAID ? `${said} and ${names.length - NAMES_SAID} more` : said
}

/** "1 user", "12 users". */
const usersText = (users: readonly string[]): string => `${users.length} user${users.length === 1 ? '' : 's'}`

/**
 * Where a run's rows came from: the uploaded file by its name, when the client said it, and how
 * many of its rows were left out (the run's count is of those it ran).
 */
function csvOf (csv: CsvSource): string {
  const file = csv.file === undefined ? 'a CSV' : `the uploaded file "${csv.file}"`
  const leftOut = csv.leftOut ?? 0
  return leftOut === 0 ? file : `${file} (${leftOut} of its rows left out)`
}

/**
 * What a run is, from its input: a device list of Settings (the dashboard's, a schedule's), the
 * rows of a CSV (an uploaded file, by its name when known), a list of users (the first few named),
 * a selection by filters (the API's, the CLI's, a schedule's: when the inventory was read is its
 * note), the sessions the Sessions screen's "Log out all matching" previewed from its filters, or
 * sessions picked there one by one. Other runs say nothing here: a retry is named by retryTitle, the
 * rest (devices or logins given in JSON) are a "Bulk logout" or "Bulk login".
 */
export function wordsOfInput (input: RunInput, said: (cluster: string) => string): RunWords {
  if ('devices' in input) {
    if (input.list !== undefined) return { title: `Per-device logout of the list "${input.list}"` }
    return input.csv === undefined ? {} : { title: `Logout of the devices in ${csvOf(input.csv)}` }
  }
  if ('items' in input) return input.csv === undefined ? {} : { title: `Login of ${usersText(uniqueNames(input.items.map((i) => i.user)))} from ${csvOf(input.csv)}` }
  if ('users' in input) {
    const users = uniqueNames(input.users)
    return { title: users.length === 1 ? `Logout of the user ${users[0] ?? ''}` : `Logout of ${usersText(users)} (${someNames(users)})` }
  }
  if ('sessions' in input) return { title: `Logout of ${describeSelection(input.sessions, said)}`, ...(input.selection === undefined ? {} : { note: inventoryNote(input.selection, said) }) }
  if (!('located' in input) || input.action !== 'logout') return {}
  if (input.previewedFrom !== undefined) return { title: `Logout of ${describeSelection(input.previewedFrom, said)}, as previewed on the Sessions screen` }
  return { title: 'Logout of sessions picked on the Sessions screen' }
}

/** What a run was, as its summary record and its page say it: its title, or "Bulk logout" (a run of pasted devices, a run made before titles were kept). */
export const runTitle = (action: RunAction, words: RunWords): string => words.title ?? `Bulk ${action}`

/** So many characters of a failure's reason are said in a run's summary; its items say it whole. */
const REASON_SAID = 400

/**
 * What a run's summary says after its counts when the items it failed to do give one reason:
 * " Why: " and the reason as a sentence, cut at REASON_SAID characters, without the items' "Not
 * run: " (its counts say "5 not run." already).
 */
export function whySaid (reason: string): string {
  const words = reason.replace(/^Not run: (.)/, (_, first: string) => first.toUpperCase())
  return ` Why: ${words.length <= REASON_SAID ? sentence(words) : `${words.slice(0, REASON_SAID - 1)}…`}`
}

/**
 * A run's summary in words: its title, its total of items and its short id, then its counts
 * ("Per-device logout of the list "Lobby": 5 devices (run 1a2b3c4d): 4 success, 1 excluded."),
 * and the reason its failed items give when they all give one (CUCM refused them alike), so a
 * schedule's last run, its notice and History say why without opening the run.
 */
export function summaryText (run: { id: string, action: RunAction, state: RunState, total: number, counts: Readonly<Record<string, number>>, userCounts?: Readonly<Record<string, number>> }, words: RunWords, reason?: string): string {
  const { id, action, state, total } = run
  const noun = runItemsNoun(run)
  const devices = `${total} ${total === 1 ? noun.one : noun.many}`
  const said = `(run ${shortRunId(id)}${words.note === undefined ? '' : `, ${words.note}`})`
  const title = words.title === undefined ? `${runTitle(action, words)} of ${devices} ${said}` : `${words.title}: ${devices} ${said}`
  // A run cut short before its items were written has none: not "nothing to do".
  const outcome = total > 0 ? outcomeCountsText(run) : state === 'interrupted' ? 'cut short before its devices were listed' : 'nothing to do'
  return `${title}: ${outcome}.${reason === undefined ? '' : whySaid(reason)}`
}
