import { outcomeCounts, RUN_OUTCOME_LABELS, runItemOutcomeLabel, runItemsNoun, shortRunId } from '@em-console/shared/display'
import { retryCount } from '@em-console/shared/rules'
import type { RunItemOutcome, RunState } from '@em-console/shared/schemas'
import type { Tone } from '../../../components/badge.tsx'
import { TRIGGER_LABELS } from '../../../lib/format.ts'

export const RUN_STATE_LABELS: Record<RunState, string> = {
  previewing: 'Looking up devices',
  running: 'Running',
  cancelling: 'Cancelling',
  done: 'Done',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted'
}

/** A run's state as a colour: done is green only when nothing failed and nothing was left unreached. */
export function runStateTone ({ state, counts }: { state: RunState, counts: Record<string, number> }): Tone {
  switch (state) {
    case 'done': return failedCount(counts) + notReachedCount(counts) > 0 ? 'warn' : 'ok'
    case 'cancelled': case 'interrupted': return 'bad'
    case 'cancelling': return 'warn'
    default: return 'info'
  }
}

export { outcomeCounts, runItemOutcomeLabel, runItemsNoun, shortRunId }
export const RUN_OUTCOMES = Object.keys(RUN_OUTCOME_LABELS) as RunItemOutcome[]

export function runOutcomeTone (outcome: RunItemOutcome): Tone {
  switch (outcome) {
    case 'success': return 'ok'
    case 'failure': case 'error': return 'bad'
    case 'unknown': case 'interrupted': case 'not-found': case 'excluded': case 'duplicate': case 'ambiguous': case 'cancelled': case 'not-run': return 'warn'
    case 'pending': return 'info'
    default: return 'neutral'
  }
}

/** Items sent that did not (surely) work: what "Retry failed" runs again. */
export function failedCount (counts: Record<string, number>): number {
  return retryCount(counts, 'failed')
}

/** Items the run never reached (cancelled, or left by a server stop): what "Run the rest" sends. */
export function notReachedCount (counts: Record<string, number>): number {
  return retryCount(counts, 'rest')
}

/** "Web", "API", "CLI", "Schedule": the trigger as every screen names it (lib/format.ts), unknown ones as sent. */
export function triggerLabel (trigger: string): string {
  return (TRIGGER_LABELS as Record<string, string | undefined>)[trigger] ?? trigger
}
