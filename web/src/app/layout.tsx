import { useEffect, useRef, useState, type ReactNode } from 'react'
import { hasRole } from '@em-console/shared/rules'
import type { Role, Session } from '@em-console/shared/schemas'
import { ClusterFallback, ClusterPicker } from '../features/clusters/components/cluster-scope.tsx'
import { SessionMenu } from '../features/session/components/session-menu.tsx'
import { useSessionsFollowInventory } from '../features/sessions/api/get-inventory.ts'
import { useClusterScope } from '../lib/cluster.tsx'
import { useFocusKeeper } from '../lib/focus-keeper.ts'
import { SCREEN_TITLES, type Screen } from './router.ts'
import { useTheme, type ThemeChoice } from './theme.ts'

/** The screens in the menu, each with the least role that sees it. */
const NAV: Array<{ screen: Screen, role: Role }> = [
  { screen: 'overview', role: 'viewer' },
  { screen: 'sessions', role: 'viewer' },
  { screen: 'devices', role: 'viewer' },
  { screen: 'users', role: 'viewer' },
  { screen: 'runs', role: 'viewer' },
  { screen: 'schedules', role: 'viewer' },
  { screen: 'history', role: 'viewer' },
  { screen: 'settings', role: 'viewer' },
  { screen: 'accounts', role: 'admin' }
]

const NEXT_THEME: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' }
const THEME_LABEL: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' }

interface LayoutProps {
  screen: Screen
  session: Session
  /** Just signed in: the sign-in form that had the focus is gone, so the page content takes it. */
  focusMain?: boolean
  children: ReactNode
}

/**
 * Whether an element is drawn: Safari before 17.4 has no checkVisibility (it threw there, and the
 * screen change with it); without it, a hidden subtree's element has no boxes.
 */
function shown (element: Element): boolean {
  return typeof element.checkVisibility === 'function' ? element.checkVisibility() : element.getClientRects().length > 0
}

export function Layout ({ screen, session, focusMain = false, children }: LayoutProps) {
  const [theme, setTheme] = useTheme()
  const { several } = useClusterScope()
  const [menuOpen, setMenuOpen] = useState(false)
  const mainRef = useRef<HTMLElement>(null)
  const menuButtonRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (focusMain) mainRef.current?.focus()
  }, [focusMain])
  useFocusKeeper()
  useSessionsFollowInventory()
  // A new screen folds the phone menu away again, and its content takes the focus from the link
  // that opened it (a screen reader then reads the new page, a Tab goes on within it), unless the
  // screen put the focus somewhere itself. A control of the screen left (a link or button in
  // <main>) is still focused here while that screen waits hidden for the new one's code
  // (Suspense), and the browser drops it to <body> a moment later: it is the new screen's too.
  const shownScreen = useRef(screen)
  useEffect(() => {
    setMenuOpen(false)
    if (shownScreen.current === screen) return
    shownScreen.current = screen
    const focused = document.activeElement
    if (focused === null || focused === document.body || focused.closest('.topbar') !== null || !shown(focused)) mainRef.current?.focus({ preventScroll: true })
  }, [screen])

  return (
    <div className='shell'>
      {/* The address's hash is the router's: followed, #main would open "Page not found". */}
      <a className='skip-link' href='#main' onClick={(event) => { event.preventDefault(); mainRef.current?.focus() }}>Skip to content</a>
      <header
        className={['topbar', menuOpen ? 'topbar-open' : '', several ? 'topbar-with-picker' : ''].filter((c) => c !== '').join(' ')}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && menuOpen) {
            setMenuOpen(false)
            menuButtonRef.current?.focus()
          }
        }}
      >
        <div className='brand'>
          <span className='brand-mark' aria-hidden='true'>EM</span>
          <span className='brand-name'>EM Console</span>
        </div>
        {/* Phones only (CSS): the screens, theme and sign-out fold behind one button. */}
        <button
          ref={menuButtonRef}
          type='button'
          className='button button-ghost button-small menu-button'
          aria-expanded={menuOpen}
          aria-controls='topbar-menu'
          onClick={() => setMenuOpen(!menuOpen)}
        >
          <span className='menu-icon' aria-hidden='true' />
          Menu
        </button>
        <div id='topbar-menu' className='topbar-menu'>
          <nav className='nav' aria-label='Main'>
            {NAV.filter((item) => hasRole(session.role, item.role)).map((item) => (
              <a
                key={item.screen}
                href={`#/${item.screen}`}
                className='nav-link'
                aria-current={item.screen === screen ? 'page' : undefined}
                // The same screen again changes no route: fold the menu here too.
                onClick={() => setMenuOpen(false)}
              >
                {SCREEN_TITLES[item.screen]}
              </a>
            ))}
          </nav>
          <ClusterPicker />
          <button
            type='button'
            className='button button-ghost button-small theme-toggle'
            onClick={() => setTheme(NEXT_THEME[theme])}
            aria-label={`Theme: ${THEME_LABEL[theme]}. Switch to ${THEME_LABEL[NEXT_THEME[theme]]}`}
          >
            <span className='theme-toggle-text'>Theme: {THEME_LABEL[theme]}</span>
          </button>
          <SessionMenu session={session} />
        </div>
      </header>
      <main id='main' ref={mainRef} className='main' tabIndex={-1}>
        <h1 className='page-title'>{SCREEN_TITLES[screen]}</h1>
        <ClusterFallback />
        {children}
      </main>
    </div>
  )
}
