import { ACTION_LABELS, displayDeviceName, labelOf, runItemOutcomeLabel, TRIGGER_LABELS } from '@em-console/shared/display'
import { csvLine, withUtcColumns, type CsvColumnOf } from '@em-console/shared/rules'
import type { RunItem, RunSummary } from '@em-console/shared/schemas'

/**
 * The columns of a run's results CSV (GET /api/runs/:id/results.csv): names as the dashboard shows
 * them (device upper case, "Log out", "Already logged out", trigger "Web"), the API's values in
 * `*_key` columns for scripts, the time again in `time_utc` that spreadsheets read as a date.
 * A login's profile and duration last (empty for a logout; columns added later go at the end, so
 * a script that reads by position reads on): the failed rows of a login run, kept with their
 * header, are a login file again (device, user, profile, duration; "indefinite" for no automatic
 * logout, empty for the cluster's default).
 */
const COLUMNS: Array<CsvColumnOf<[RunItem, RunSummary]>> = [...withUtcColumns<[RunItem, RunSummary]>([
  ['device', (i) => displayDeviceName(i.device)],
  ['cluster', (i) => i.cluster],
  ['user', (i) => i.userId],
  ['action', (_i, run) => labelOf(ACTION_LABELS, run.action)],
  ['action_key', (_i, run) => run.action],
  ['outcome', (i) => runItemOutcomeLabel(i)],
  ['outcome_key', (i) => i.outcome],
  ['emapi_code', (i) => i.emapiCode],
  ['message', (i) => i.message],
  ['time', (i) => i.finishedAt],
  ['verified', (i) => i.verified === null ? null : String(i.verified)],
  ['audit_id', (i) => i.auditId],
  ['trigger', (_i, run) => labelOf(TRIGGER_LABELS, run.trigger)],
  ['trigger_key', (_i, run) => run.trigger],
  ['actor', (_i, run) => run.actor]
], ['time']),
['profile', (i) => i.profile],
['duration', (i) => i.indefinite === true ? 'indefinite' : i.durationMinutes]]

/** The whole CSV of a run, with the BOM spreadsheets need to read UTF-8. */
export function runResultsCsv (run: RunSummary, items: readonly RunItem[]): string {
  return '\uFEFF' + csvLine(COLUMNS.map(([name]) => name)) + items.map((item) => csvLine(COLUMNS.map(([, value]) => value(item, run)))).join('')
}
