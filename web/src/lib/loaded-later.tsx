import { lazy, type ComponentType } from 'react'

/**
 * A part of the dashboard (a screen, a card) whose file is fetched when it is first shown. A file
 * that cannot be fetched (the server restarting, a new version installed since the page was
 * opened) left the page blank for good: the part says so instead, with a way out.
 */
export function loadedLater<P extends object> (load: () => Promise<ComponentType<P>>) {
  return lazy(async () => ({ default: await load().catch(() => NotLoaded as ComponentType<P>) }))
}

function NotLoaded () {
  return <p className='notice notice-error' role='alert'>This part of the dashboard could not be loaded (is the server restarting?) <button type='button' className='button' onClick={() => { location.reload() }}>Reload</button></p>
}
