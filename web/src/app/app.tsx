import { lazy, Suspense, useEffect } from 'react'
import { Layout } from './layout.tsx'
import { useRoute, type Screen } from './router.ts'
import { OverviewScreen } from './screens/overview-screen.tsx'

// The Overview is what opens first; the other screens load on first visit to keep the initial
// JavaScript small (the budget is 100 KB gzip).
const DevicesScreen = lazy(async () => ({ default: (await import('./screens/devices-screen.tsx')).DevicesScreen }))
const UsersScreen = lazy(async () => ({ default: (await import('./screens/users-screen.tsx')).UsersScreen }))
const HistoryScreen = lazy(async () => ({ default: (await import('./screens/history-screen.tsx')).HistoryScreen }))

const TITLES: Record<Screen, string> = {
  overview: 'Overview',
  devices: 'Devices',
  users: 'Users',
  history: 'History'
}

export function App () {
  const route = useRoute()
  useEffect(() => {
    document.title = `${TITLES[route.screen]} · EM Console`
  }, [route.screen])

  return (
    <Layout screen={route.screen} title={TITLES[route.screen]}>
      <Suspense fallback={<p className='muted'>Loading…</p>}>
        {route.screen === 'overview' && <OverviewScreen />}
        {route.screen === 'devices' && <DevicesScreen params={route.params} />}
        {route.screen === 'users' && <UsersScreen params={route.params} />}
        {route.screen === 'history' && <HistoryScreen params={route.params} />}
      </Suspense>
    </Layout>
  )
}
