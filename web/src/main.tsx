import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App, preloadOpeningScreen } from './app/app.tsx'
import { createQueryClient, Providers } from './app/providers.tsx'
import { sessionQueryOptions } from './features/session/api/get-session.ts'
import { adoptPath } from './app/router.ts'
import { applyTheme, readTheme } from './app/theme.ts'
import './styles/theme.css'
import './styles/app.css'

// Applied before the first render so a stored dark theme does not flash light (no inline script: CSP).
applyTheme(readTheme())

const root = document.getElementById('root')
if (root === null) throw new Error('index.html has no #root element')

adoptPath()
// The screen the address names is fetched first and the session asked now, not from the first
// render's effects: every screen waits for both.
preloadOpeningScreen().catch(() => {})
const client = createQueryClient()
client.prefetchQuery(sessionQueryOptions()).catch(() => {})

createRoot(root).render(
  <StrictMode>
    <Providers client={client}>
      <App />
    </Providers>
  </StrictMode>
)
