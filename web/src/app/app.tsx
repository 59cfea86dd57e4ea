import { useQueryClient } from '@tanstack/react-query'
import { Activity, Suspense, useEffect, useRef, useState } from 'react'
import { ErrorNotice } from '../components/error-notice.tsx'
import { ClusterScope } from '../features/clusters/components/cluster-scope.tsx'
import type { Session } from '@em-console/shared/schemas'
import { replaceSession, sessionQueryKey, useSession, useSessionOfOtherTabs } from '../features/session/api/get-session.ts'
import { SignInPage } from '../features/session/components/sign-in-page.tsx'
import { onSessionEnded } from '../lib/api-client.ts'
import { loadedLater } from '../lib/loaded-later.tsx'
import { RoleProvider } from '../lib/authorization.tsx'
import { Layout } from './layout.tsx'
import { parseRoute, SCREEN_TITLES, useRoute, type Screen } from './router.ts'
import { NotFoundScreen } from './screens/not-found-screen.tsx'
import { OverviewScreen } from './screens/overview-screen.tsx'

// The Overview and the sign-in page are what open first; the other screens load on first visit to
// keep the initial JavaScript small (the budget is 100 KB gzip).
const SessionsScreen = loadedLater(async () => (await import('./screens/sessions-screen.tsx')).SessionsScreen)
const DevicesScreen = loadedLater(async () => (await import('./screens/devices-screen.tsx')).DevicesScreen)
const UsersScreen = loadedLater(async () => (await import('./screens/users-screen.tsx')).UsersScreen)
const HistoryScreen = loadedLater(async () => (await import('./screens/history-screen.tsx')).HistoryScreen)
const RunsScreen = loadedLater(async () => (await import('./screens/runs-screen.tsx')).RunsScreen)
const SchedulesScreen = loadedLater(async () => (await import('./screens/schedules-screen.tsx')).SchedulesScreen)
const SettingsScreen = loadedLater(async () => (await import('./screens/settings-screen.tsx')).SettingsScreen)
const AccountsScreen = loadedLater(async () => (await import('./screens/accounts-screen.tsx')).AccountsScreen)
const SetupPage = loadedLater(async () => (await import('../features/session/components/setup-page.tsx')).SetupPage)

const LATER: Partial<Record<Screen, { preload: () => Promise<unknown> }>> = { sessions: SessionsScreen, devices: DevicesScreen, users: UsersScreen, history: HistoryScreen, runs: RunsScreen, schedules: SchedulesScreen, settings: SettingsScreen, accounts: AccountsScreen }

/**
 * Starts fetching the file of the screen the address names. Called before the session is asked
 * (main.tsx), so the file is on its way while the session answers, however fast that is.
 */
export async function preloadOpeningScreen (): Promise<unknown> {
  return await LATER[parseRoute(window.location.hash).screen]?.preload()
}

export function App () {
  const route = useRoute()
  const session = useSession()
  const queryClient = useQueryClient()
  const [sessionEnded, setSessionEnded] = useState(false)
  const wasSignedOut = useRef(false)
  const shownSession = useRef<Session>(undefined)
  useSessionOfOtherTabs()
  // The screen the address names is fetched while the session is asked, and shown once both are
  // in: rendered before its file, it would show React's placeholder and then wait 300 ms more.
  const [opening, setOpening] = useState(true)
  useEffect(() => {
    preloadOpeningScreen().finally(() => setOpening(false))
  }, [])

  // Any API call answering 401 means the session is over (idle or absolute expiry, or ended
  // elsewhere): show the sign-in page in place. The hash stays, so signing in returns here.
  useEffect(() => onSessionEnded(() => {
    setSessionEnded(true)
    replaceSession(queryClient, null)
  }), [queryClient])

  const signedIn = session.data !== undefined && session.data !== null
  const signedOut = session.data === null
  useEffect(() => {
    if (signedOut) wasSignedOut.current = true
    if (signedIn) setSessionEnded(false)
  }, [signedIn, signedOut])

  const title = route.screen === 'setup' ? 'Setup' : signedOut ? 'Sign in' : SCREEN_TITLES[route.screen]
  useEffect(() => {
    document.title = `${title} · EM Console`
  }, [title])

  if (route.screen === 'setup') {
    return (
      <Suspense fallback={<p className='muted boot-message'>Loading…</p>}>
        <SetupPage
          token={route.params.get('token') ?? ''}
          // The token is spent: take it out of the address bar and the history.
          onDone={() => {
            window.history.replaceState(null, '', '#/overview')
            window.dispatchEvent(new HashChangeEvent('hashchange'))
          }}
        />
      </Suspense>
    )
  }
  if (session.isPending || (opening && signedIn)) return <p className='muted boot-message'>Loading…</p>
  if (session.isError) {
    return (
      <main className='auth-page' id='main'>
        <div className='auth-card'>
          <ErrorNotice error={session.error} title='Could not reach the EM Console server' />
          <div className='button-row'>
            <button type='button' className='button' onClick={() => { queryClient.resetQueries({ queryKey: sessionQueryKey, exact: true }) }}>Try again</button>
          </div>
        </div>
      </main>
    )
  }
  // A session that ended under the user (a 401: idle or absolute expiry) keeps the screen it ended
  // on, hidden and with its effects stopped (no reads while signed out), under the sign-in page:
  // what was typed there (a schedule, a login's user ID) is still there when the same person signs
  // in again, as the sign-in page promises. Another person signing in gets a screen of their own
  // (the key), and a sign-out keeps nothing.
  if (session.data !== null) shownSession.current = session.data
  const kept = session.data ?? (sessionEnded ? shownSession.current : undefined)
  if (kept === undefined) return <SignInPage sessionEnded={sessionEnded} />

  return (
    <>
      {session.data === null && <SignInPage sessionEnded />}
      <Activity key={kept.user} mode={session.data === null ? 'hidden' : 'visible'}>
        <RoleProvider role={kept.role} user={kept.user}>
          <ClusterScope>
            <Layout screen={route.screen} session={kept} focusMain={wasSignedOut.current}>
              <Suspense fallback={<p className='muted'>Loading…</p>}>
                {route.screen === 'overview' && <OverviewScreen />}
                {route.screen === 'not-found' && <NotFoundScreen />}
                {route.screen === 'sessions' && <SessionsScreen params={route.params} />}
                {route.screen === 'devices' && <DevicesScreen params={route.params} />}
                {route.screen === 'users' && <UsersScreen params={route.params} />}
                {route.screen === 'runs' && <RunsScreen runId={route.id} params={route.params} />}
                {route.screen === 'schedules' && <SchedulesScreen />}
                {route.screen === 'history' && <HistoryScreen params={route.params} />}
                {route.screen === 'settings' && <SettingsScreen />}
                {route.screen === 'accounts' && (
                  <AccountsScreen
                    currentUser={kept.user}
                    onOwnAccountChanged={() => { queryClient.invalidateQueries({ queryKey: sessionQueryKey, exact: true }) }}
                  />
                )}
              </Suspense>
            </Layout>
          </ClusterScope>
        </RoleProvider>
      </Activity>
    </>
  )
}
