import { EMPTY_HISTORY_PARAMS, HistoryView, PAGE_SIZES, type HistoryParams, type PageSize } from '../../features/audit/components/history-view.tsx'
import { cursorsParam, readCursors } from '../../lib/page-cursors.ts'
import { pushParams, replaceParams } from '../router.ts'

function readParams (params: URLSearchParams): HistoryParams {
  const out = { ...EMPTY_HISTORY_PARAMS }
  for (const key of Object.keys(out) as Array<keyof HistoryParams>) out[key] = params.get(key) ?? ''
  return out
}

/** `rows=50`: the rows per page; absent or not a choice, the first. */
function readPageSize (params: URLSearchParams): PageSize {
  return PAGE_SIZES.find((size) => String(size) === params.get('rows')) ?? PAGE_SIZES[0]
}

function addressOf (filter: HistoryParams, cursors: string[], pageSize: PageSize, id: number | undefined): Record<string, string | undefined> {
  return {
    ...filter,
    after: cursorsParam(cursors),
    rows: pageSize === PAGE_SIZES[0] ? undefined : String(pageSize),
    id: id === undefined ? undefined : String(id)
  }
}

export function HistoryScreen ({ params }: { params: URLSearchParams }) {
  const id = Number(params.get('id'))
  const selectedId = Number.isInteger(id) && id > 0 ? id : undefined
  const filter = readParams(params)
  const cursors = readCursors(params)
  const pageSize = readPageSize(params)
  return (
    <HistoryView
      params={filter}
      cursors={cursors}
      pageSize={pageSize}
      selectedId={selectedId}
      // A filter, a page and a page size are history entries (Back returns to the one before); opening a record is not.
      onFilter={(next) => pushParams('history', addressOf(next, [], pageSize, selectedId))}
      onPage={(next) => pushParams('history', addressOf(filter, next, pageSize, selectedId))}
      // Another size starts again at the newest records: "Page 3" of 25 is not page 3 of 100.
      onPageSize={(next) => pushParams('history', addressOf(filter, [], next, selectedId))}
      onSelect={(nextId) => replaceParams('history', addressOf(filter, cursors, pageSize, nextId))}
    />
  )
}
