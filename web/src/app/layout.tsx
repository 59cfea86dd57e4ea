import type { ReactNode } from 'react'
import type { Screen } from './router.ts'
import { useTheme, type ThemeChoice } from './theme.ts'

const NAV: Array<{ screen: Screen, label: string }> = [
  { screen: 'overview', label: 'Overview' },
  { screen: 'devices', label: 'Devices' },
  { screen: 'users', label: 'Users' },
  { screen: 'history', label: 'History' }
]

const NEXT_THEME: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' }
const THEME_LABEL: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' }

export function Layout ({ screen, title, children }: { screen: Screen, title: string, children: ReactNode }) {
  const [theme, setTheme] = useTheme()
  return (
    <div className='shell'>
      <a className='skip-link' href='#main'>Skip to content</a>
      <header className='topbar'>
        <div className='brand'>
          <span className='brand-mark' aria-hidden='true'>EM</span>
          <span className='brand-name'>EM Console</span>
        </div>
        <nav className='nav' aria-label='Main'>
          {NAV.map((item) => (
            <a key={item.screen} href={`#/${item.screen}`} className='nav-link' aria-current={item.screen === screen ? 'page' : undefined}>
              {item.label}
            </a>
          ))}
        </nav>
        <button
          type='button'
          className='button button-ghost button-small theme-toggle'
          onClick={() => setTheme(NEXT_THEME[theme])}
          aria-label={`Theme: ${THEME_LABEL[theme]}. Switch to ${THEME_LABEL[NEXT_THEME[theme]]}`}
        >
          Theme: {THEME_LABEL[theme]}
        </button>
      </header>
      <main id='main' className='main' tabIndex={-1}>
        <h1 className='page-title'>{title}</h1>
        {children}
      </main>
    </div>
  )
}
