import { EMPTY_HISTORY_PARAMS, HistoryView, type HistoryParams } from '../../features/audit/components/history-view.tsx'
import { replaceParams } from '../router.ts'

function readParams (params: URLSearchParams): HistoryParams {
  const out = { ...EMPTY_HISTORY_PARAMS }
  for (const key of Object.keys(out) as Array<keyof HistoryParams>) out[key] = params.get(key) ?? ''
  return out
}

export function HistoryScreen ({ params }: { params: URLSearchParams }) {
  const id = Number(params.get('id'))
  const selectedId = Number.isInteger(id) && id > 0 ? id : undefined
  const filter = readParams(params)
  return (
    <HistoryView
      // A new filter (also from a link) starts again at the first page with a fresh form.
      key={JSON.stringify(filter)}
      params={filter}
      selectedId={selectedId}
      onChange={(next, nextId) => replaceParams('history', { ...next, id: nextId === undefined ? undefined : String(nextId) })}
    />
  )
}
