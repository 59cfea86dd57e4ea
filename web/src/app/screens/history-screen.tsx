import { EMPTY_HISTORY_PARAMS, HistoryView, type HistoryParams } from '../../features/audit/components/history-view.tsx'
import { pushParams, replaceParams } from '../router.ts'

function readParams (params: URLSearchParams): HistoryParams {
  const out = { ...EMPTY_HISTORY_PARAMS }
  for (const key of Object.keys(out) as Array<keyof HistoryParams>) out[key] = params.get(key) ?? ''
  return out
}

/** The pages after the first, as the cursors that reach them: `after=c1.c2` is page 3 (cursors are base64url). */
function readCursors (params: URLSearchParams): string[] {
  return (params.get('after') ?? '').split('.').filter((cursor) => /^[A-Za-z0-9_-]{1,100}$/.test(cursor))
}

function addressOf (filter: HistoryParams, cursors: string[], id: number | undefined): Record<string, string | undefined> {
  return { ...filter, after: cursors.length === 0 ? undefined : cursors.join('.'), id: id === undefined ? undefined : String(id) }
}

export function HistoryScreen ({ params }: { params: URLSearchParams }) {
  const id = Number(params.get('id'))
  const selectedId = Number.isInteger(id) && id > 0 ? id : undefined
  const filter = readParams(params)
  const cursors = readCursors(params)
  return (
    <HistoryView
      // A new filter (also from a link) starts again with a fresh form.
      key={JSON.stringify(filter)}
      params={filter}
      cursors={cursors}
      selectedId={selectedId}
      // A filter and a page are history entries (Back returns to the one before); opening a record is not.
      onFilter={(next) => pushParams('history', addressOf(next, [], selectedId))}
      onPage={(next) => pushParams('history', addressOf(filter, next, selectedId))}
      onSelect={(nextId) => replaceParams('history', addressOf(filter, cursors, nextId))}
    />
  )
}
