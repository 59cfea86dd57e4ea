import { useSyncExternalStore } from 'react'

/** The screens; the hash is `#/<screen>?<params>`, so links and the back button just work. */
const SCREENS = ['overview', 'sessions', 'devices', 'users', 'runs', 'schedules', 'history', 'settings', 'accounts', 'setup'] as const
/** `not-found` is no address of its own: it is what an address the dashboard does not have shows. */
export type Screen = typeof SCREENS[number] | 'not-found'

/** Each screen's name: its heading, the document's title and its link in the menu. */
export const SCREEN_TITLES: Record<Screen, string> = {
  overview: 'Overview',
  sessions: 'Sessions',
  devices: 'Devices',
  users: 'Users',
  runs: 'Bulk runs',
  schedules: 'Schedules',
  history: 'History',
  settings: 'Settings',
  accounts: 'Accounts',
  setup: 'Setup',
  'not-found': 'Page not found'
}

export interface Route {
  screen: Screen
  /** The path segment after the screen, e.g. the run of `#/runs/<id>`. */
  id: string | undefined
  params: URLSearchParams
}

function subscribe (onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

function getHash (): string {
  return window.location.hash
}

export function parseRoute (hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2)
  const [first = '', second] = path.split('/', 2)
  // An empty hash is the start page; anything else unknown is said to be so, not silently replaced.
  const screen: Screen = first === '' ? 'overview' : (SCREENS as readonly string[]).includes(first) ? first as Screen : 'not-found'
  const id = second === undefined || second === '' || screen !== first ? undefined : safeDecode(second)
  return { screen, id, params: new URLSearchParams(query) }
}

function safeDecode (text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/**
 * An address pasted without its "#" (/sessions, /runs/<id>, with its query) is read as the route
 * it names: the server answers every page path with the dashboard, whose routes live in the hash.
 * A known screen opens; any other path says "Page not found", never a silent Overview. Called
 * once, before the first render.
 */
export function adoptPath (): void {
  const { pathname, search, hash } = window.location
  if (pathname === '/' || pathname === '/index.html' || hash !== '') return
  window.history.replaceState(null, '', `/#${pathname}${search}`)
}

export function useRoute (): Route {
  const hash = useSyncExternalStore(subscribe, getHash)
  return parseRoute(hash)
}

/** `id`: the path segment after the screen (the run of `#/runs/<id>`). */
function hrefFor (screen: Screen, params?: Record<string, string | undefined>, id?: string): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value !== undefined && value !== '') search.set(key, value)
  }
  const query = search.toString()
  return `#/${screen}${id === undefined ? '' : `/${encodeURIComponent(id)}`}${query === '' ? '' : `?${query}`}`
}

/** Updates the params of the current screen without adding a history entry (e.g. which record is open). */
export function replaceParams (screen: Screen, params: Record<string, string | undefined>): void {
  const href = hrefFor(screen, params)
  if (window.location.hash === href) return
  window.history.replaceState(null, '', href)
  window.dispatchEvent(new HashChangeEvent('hashchange'))
}

/** A new look-up, filter or page: a history entry of its own, so Back returns to the one before. */
export function pushParams (screen: Screen, params: Record<string, string | undefined>, id?: string): void {
  const href = hrefFor(screen, params, id)
  if (window.location.hash === href) return
  // Assigning the hash adds the entry and fires hashchange by itself.
  window.location.hash = href
}
