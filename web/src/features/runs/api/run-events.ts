import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import type { RunProgressEvent, RunState } from '@em-console/shared/schemas'
import { invalidateAfterAction } from '../../../lib/invalidate.ts'
import { isFinalState, runQueryKey } from './get-run.ts'
import { invalidateRecentRuns } from './get-runs.ts'

/** What the event stream has told about a run so far. */
export interface LiveRun {
  state: RunState
  total: number
  counts: Record<string, number>
  userCounts?: Record<string, number>
}

/** What the page knows of a run's progress stream. */
export interface RunEvents {
  live: LiveRun | undefined
  /**
   * The stream dropped and cannot be reached again yet (the server restarting, the network gone):
   * the page says so rather than show the last news as if it were current. The browser keeps
   * trying by itself.
   */
  lost: boolean
}

/** A big run finishes hundreds of items a second: the table re-renders at most this often. */
const RENDER_EVERY_MS = 250

/**
 * Follows a run's Server-Sent Events (`progress`) while `follow` is true. The browser's
 * EventSource sends the session cookie and reconnects by itself after a network blip; the server
 * ends the stream when the run is final, and then the stream is closed here so it does not
 * reconnect. A new state or the end reads the whole run again (GET /api/runs/:id).
 */
export function useRunEvents (id: string, follow: boolean): RunEvents {
  const queryClient = useQueryClient()
  const [live, setLive] = useState<LiveRun>()
  const [lost, setLost] = useState(false)

  useEffect(() => {
    if (!follow) return
    const source = new EventSource(`/api/runs/${encodeURIComponent(id)}/events`)
    let latest: RunProgressEvent | undefined
    let timer: ReturnType<typeof setTimeout> | undefined
    let dropped = false

    const render = () => {
      timer = undefined
      if (latest !== undefined) setLive({ state: latest.state, total: latest.total, counts: latest.counts, userCounts: latest.userCounts })
    }
    const reread = async () => {
      await queryClient.invalidateQueries({ queryKey: runQueryKey(id) })
      await invalidateRecentRuns(queryClient)
    }

    source.addEventListener('progress', (message) => {
      const event = JSON.parse((message as MessageEvent<string>).data) as RunProgressEvent
      const newState = latest?.state !== event.state
      latest = event
      if (isFinalState(event.state) && event.item === undefined) {
        source.close()
        clearTimeout(timer)
        render()
        reread().catch(() => {})
        invalidateAfterAction(queryClient).catch(() => {})
      } else if (newState) {
        clearTimeout(timer)
        render()
        reread().catch(() => {})
      } else {
        timer ??= setTimeout(render, RENDER_EVERY_MS)
      }
    })
    // A refused stream (401, 404) is closed by the browser: the run page then shows what
    // GET /api/runs/:id says. One that could not connect or dropped (the server stopping or gone)
    // is tried again by the browser every few seconds, until it answers.
    source.addEventListener('error', () => {
      dropped = source.readyState !== EventSource.CLOSED
      setLost(dropped)
      if (!dropped) reread().catch(() => {})
    })
    source.addEventListener('open', () => {
      // What happened meanwhile (items finished, the run ended or was interrupted) is read again.
      if (dropped) reread().catch(() => {})
      dropped = false
      setLost(false)
    })
    return () => {
      source.close()
      clearTimeout(timer)
      setLost(false)
    }
  }, [id, follow, queryClient])

  return { live, lost }
}
