import { lazy, useState, type ComponentType } from 'react'

/**
 * A part of the dashboard (a screen, a card) whose file is fetched when it is first shown, or
 * before with `preload`. A file that cannot be fetched (the server restarting, a new version
 * installed since the page was opened) left the page blank for good: the part says so instead,
 * with a way out.
 */
export function loadedLater<P extends object> (load: () => Promise<ComponentType<P>>) {
  let loaded: ComponentType<P> | undefined
  let loading: Promise<ComponentType<P>> | undefined
  const preload = async () => await (loading ??= load().catch(() => NotLoaded as ComponentType<P>).then((part) => (loaded = part)))
  const Lazy = lazy(async () => ({ default: await preload() }))
  // Once fetched, the part renders at once: no suspending, so no "Loading…" shown for a moment
  // (React shows a fallback at least 300 ms). Chosen once per mount: a part shown through Lazy
  // stays so, never mounted anew.
  function Later (props: P) {
    const [Part] = useState(() => loaded ?? Lazy)
    return <Part {...props} />
  }
  return Object.assign(Later, { preload })
}

function NotLoaded () {
  return <p className='notice notice-error' role='alert'>This part of the dashboard could not be loaded (is the server restarting?) <button type='button' className='button' onClick={() => { location.reload() }}>Reload</button></p>
}
