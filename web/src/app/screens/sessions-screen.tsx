import { SessionsView, type SessionsParams } from '../../features/sessions/components/sessions-view.tsx'
import { replaceParams } from '../router.ts'

const KEYS = ['q', 'user', 'device', 'pools', 'older', 'sort', 'order'] as const

/** `#/sessions?pools=DP_OSLO&older=12&sort=user`: the filters live in the address. */
export function SessionsScreen ({ params }: { params: URLSearchParams }) {
  const current: SessionsParams = Object.fromEntries(KEYS.map((key) => [key, params.get(key) ?? undefined]))
  return <SessionsView params={current} onChange={(next) => replaceParams('sessions', { ...next })} />
}
