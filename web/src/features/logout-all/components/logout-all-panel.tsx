import { Suspense, useEffect, useId, useState } from 'react'
import type { ClusterOutcome, Health, LogoutAllResult } from '@em-console/shared/schemas'
import { Badge } from '../../../components/badge.tsx'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { ModalDialog } from '../../../components/modal-dialog.tsx'
import { QuietAge } from '../../../components/quiet-age.tsx'
import { auditHref } from '../../../lib/audit-link.ts'
import { loadedLater } from '../../../lib/loaded-later.tsx'
import { previewTotals, startWords } from '../../../lib/preview-totals.ts'
import { ALL_CLUSTERS, clusterLabel, useClusterScope, type ClusterOption } from '../../../lib/cluster.tsx'
import { OUTCOME_LABELS, plural } from '../../../lib/format.ts'
import { runHref } from '../../../lib/run-link.ts'
import { ConfirmPhraseField, isConfirmPhrase, LogoutAllConsequences } from '../../../components/logout-all-guard.tsx'
import type { LoggedInCount } from '../../../lib/logged-in-count.ts'
import { useHealth } from '../../../lib/get-health.ts'
import { useDeviceListNames } from '../../../lib/get-settings.ts'
import { useLogoutAll } from '../api/logout-all.ts'
import { usePreviewSavedList, useStartSavedListRun } from '../api/saved-list-run.ts'

type Mode = 'cluster' | 'saved-list'

// The device list's table is fetched when One by one is chosen, not with the first page (P4's budget).
const RunPreview = loadedLater(async () => (await import('../../../components/run-preview.tsx')).RunPreview)

/** The question before, then what happened: the dialog's title never keeps asking once it is done. */
function dialogTitle (logoutAll: ReturnType<typeof useLogoutAll>): string {
  if (logoutAll.isPending) return 'Logging out all EM users…'
  if (logoutAll.isError) return 'Log out all EM users failed'
  if (logoutAll.isSuccess) {
    // Several clusters: some may have failed while the others went through.
    if (logoutAll.data.outcome === 'failure') {
      const failed = logoutAll.data.clusters.filter((c) => !succeeded(c)).length
      return failed === logoutAll.data.clusters.length ? 'Log out all EM users failed' : 'Log out all EM users failed on some clusters'
    }
    // EMAPI's logoutAll tells no count: the server gives the inventory's, when every cluster has
    // one. None there is no proof that CUCM had nobody (a login since the inventory was read).
    const count = logoutAll.data.loggedOut
    return count === null || count === 0 ? 'All EM users logged out' : `All EM users logged out: ${plural(count, 'user')}`
  }
  return 'Log out all EM users?'
}

function succeeded (part: ClusterOutcome): boolean {
  return part.outcome === 'success' || part.outcome === 'already-logged-out'
}

/** Sent without an answer: CUCM may have done it (History says the same of its record). */
function mayHaveHappened (part: ClusterOutcome): boolean {
  return part.outcome === 'unknown' || part.outcome === 'interrupted'
}

/**
 * Which clusters a logout-all acts on: with one cluster, that one (no words, no parameter); with
 * several, the one picked in the header, or all of them. Fixed when the dialog opens, or, opened
 * before the server said which clusters there are (`known`), once it has.
 */
interface Target {
  param: string | undefined
  clusters: ClusterOption[]
  known: boolean
}

function targetOf (scope: ReturnType<typeof useClusterScope>, health: Health | undefined): Target {
  const { known } = scope
  // An enabled cluster that cannot be used (its password not opened by this key) is not in the
  // scope, yet one of every cluster: the server refuses a logout-all that names none beside it.
  if (!scope.several) return (health?.clusters.length ?? 0) > 1 ? { param: ALL_CLUSTERS, clusters: scope.clusters, known } : { param: undefined, clusters: [], known }
  if (scope.current !== undefined) return { param: scope.current.id, clusters: [scope.current], known }
  return { param: ALL_CLUSTERS, clusters: scope.clusters, known }
}

function whereWords (target: Target): string {
  if (target.param === undefined) return 'on the cluster'
  if (target.param === ALL_CLUSTERS) return 'on every cluster'
  return `on ${target.clusters[0]?.name ?? target.param}`
}

/** The big red button, and the dialog that makes sure the admin means it. */
export function LogoutAllPanel ({ loggedIn }: { loggedIn?: LoggedInCount }) {
  const [open, setOpen] = useState(false)
  const [typed, setTyped] = useState('')
  const [mode, setMode] = useState<Mode>('cluster')
  const scope = useClusterScope()
  const health = useHealth()
  const [target, setTarget] = useState<Target>(() => targetOf(scope, health.data))
  const logoutAll = useLogoutAll()
  // Each cluster's part of the last logout-all, with the inventory it counted: where it logged users
  // out, a count still read from that inventory is of users gone, until the refresh that follows.
  const [spent, setSpent] = useState<ClusterOutcome[]>([])
  const preview = usePreviewSavedList()
  const start = useStartSavedListRun()
  const id = useId()
  const confirmed = isConfirmPhrase(typed)
  const running = logoutAll.isPending || start.isPending
  // The warning's red is for the question and for a failure: a logout-all that went through is no alarm.
  const doneWell = logoutAll.isSuccess && logoutAll.data.outcome === 'success'
  const totals = previewTotals(preview.data)
  const canSubmit = confirmed && !running && target.known && (mode === 'cluster' || (preview.data?.list !== undefined && totals.toSend + totals.toCheck > 0))
  useEffect(() => { if (open && !target.known && scope.known) setTarget(targetOf(scope, health.data)) }, [open, target.known, scope, health.data])
  const acting = target.param === undefined || target.param === ALL_CLUSTERS ? undefined : target.param
  const count = acting === undefined ? loggedIn : loggedIn?.byCluster[acting]
  const recounting = spent.some((p) => p.outcome === 'success' && p.asOf !== null && (acting ?? p.cluster) === p.cluster && p.asOf === (acting === undefined ? loggedIn?.countedFrom[p.cluster] : count?.asOf))
  const named = (ids: readonly string[]): string[] => ids.map((c) => clusterLabel(scope.clusters, c))
  const uncounted = named(loggedIn?.uncounted.filter((c) => acting === undefined || c === acting) ?? [])
  // One by one needs a device list: with none in Settings it is not offered as if it could run.
  const noList = useDeviceListNames(open).data?.length === 0
  const asked = target.param === ALL_CLUSTERS && health.data !== undefined ? health.data.clusters.map((c) => c.id) : target.clusters.map((c) => c.id)
  const emapiOf = (cluster: string) => health.data?.clusters.find((h) => h.id === cluster)?.emapi
  // A cluster still waiting for its first answer ("checking") is not known to be down: said apart.
  const unreachable = named(asked.filter((c) => { const emapi = emapiOf(c); return emapi?.reachable === false && emapi.checking !== true }))
  const checking = named(asked.filter((c) => emapiOf(c)?.checking === true))

  function openDialog () {
    setSpent(logoutAll.data?.clusters ?? spent)
    logoutAll.reset()
    preview.reset()
    start.reset()
    setTyped('')
    setMode('cluster')
    setTarget(targetOf(scope, health.data))
    setOpen(true)
  }

  function chooseMode (next: Mode) {
    setMode(next)
    start.reset()
    // The list and the phones' state may have changed since the last look: look again.
    if (next === 'saved-list') {
      preview.mutate()
      RunPreview.preload()
    }
  }

  function submit () {
    if (!canSubmit) return
    if (mode === 'cluster') {
      logoutAll.mutate(target.param)
      return
    }
    const list = preview.data?.list
    if (list === undefined) return
    start.mutate(list, {
      onSuccess: (started) => {
        setOpen(false)
        window.location.hash = runHref(started.id)
      }
    })
  }

  return (
    <section className='card card-danger' aria-labelledby='logout-all-title'>
      <header className='card-header'>
        <h2 id='logout-all-title'>Log out everyone</h2>
      </header>
      <p className='muted'>
        Ends every Extension Mobility login {scope.several ? 'on the cluster picked in the header (or on every cluster)' : 'on the cluster'} in one request,
        or works through the first device list of Settings one phone at a time. Use it at the end of a shift or when phones must be returned to their base state.
      </p>
      <button type='button' className='button button-danger button-large' onClick={openDialog} disabled={running}>
        {running ? 'Logging out all EM users…' : 'Log out all EM users'}
      </button>

      <ModalDialog open={open} title={dialogTitle(logoutAll)} tone={doneWell ? 'default' : 'danger'} size={mode === 'saved-list' ? 'wide' : 'default'} busy={running} onClose={() => setOpen(false)}>
        {logoutAll.isIdle && (
          <form
            onSubmit={(event) => {
              event.preventDefault()
              submit()
            }}
          >
            <fieldset className='fieldset fieldset-first'>
              <legend className='field-label'>How</legend>
              <div className='choice-stack'>
                <label className='choice'>
                  <input type='radio' name={`${id}-mode`} checked={mode === 'cluster'} onChange={() => chooseMode('cluster')} disabled={running} />
                  Cluster-wide (EMAPI logoutAll)
                </label>
                <label className='choice'>
                  <input type='radio' name={`${id}-mode`} checked={mode === 'saved-list'} onChange={() => chooseMode('saved-list')} disabled={running || noList} aria-describedby={noList ? `${id}-no-list` : undefined} />
                  One by one from the first device list
                </label>
                {noList && <span id={`${id}-no-list`} className='field-hint'>No device list in Settings yet.</span>}
              </div>
            </fieldset>
            {/* Every cluster's count when it acts on every one, the one cluster's when on one; a cluster without an inventory is said, not left out silently. */}
            {mode === 'cluster' && count !== undefined && (
              <p className='logout-all-count' role='status'>
                {recounting
                  ? 'Not counted yet: the inventory has not been read again since the last logout-all.'
                  : (
                    <>
                      This logs out <strong>{plural(count.users, 'user')}</strong> on {plural(count.phones, 'phone')}
                      {count.asOf !== null && <> (inventory as of <QuietAge at={count.asOf} />; anyone who logged in since is logged out too)</>}.
                      {uncounted.length > 0 && <> Not counted: {uncounted.join(', ')} (no inventory).</>}
                    </>
                    )}
              </p>
            )}
            {mode === 'cluster' && unreachable.length > 0 && (
              <p className='notice notice-warn notice-compact' role='note'>
                Not reachable at the last check: {unreachable.join(', ')}. The others go on if it fails.
              </p>
            )}
            {mode === 'cluster' && checking.length > 0 && (
              <p className='notice notice-warn notice-compact' role='note'>
                Not checked yet (CUCM has not answered its first check): {checking.join(', ')}. The others go on if it fails.
              </p>
            )}
            {mode === 'cluster' && target.param !== undefined && (
              // One short row: the dialog must still fit a 360 px phone with its button in view.
              <div className='logout-all-clusters'>
                <span className='field-label' id={`${id}-clusters`}>{target.param === ALL_CLUSTERS ? 'Acts on every cluster:' : 'Acts on one cluster:'}</span>
                <ul className='cluster-chips' aria-labelledby={`${id}-clusters`}>
                  {target.clusters.map((c) => <li key={c.id} title={`Cluster id: ${c.id}`}>{c.name}</li>)}
                </ul>
              </div>
            )}
            {mode === 'cluster' && <LogoutAllConsequences where={whereWords(target)} />}
            {mode === 'saved-list' && (
              <div className='saved-list-preview'>
                <p className='small'>
                  Logs out each device of {preview.data?.list === undefined ? 'the ' : <>the list “{preview.data.list}”, the </>}<a href='#/settings' onClick={() => setOpen(false)}>first device list of Settings</a>, one at a time, within
                  CUCM's limit, with a result per phone. Exempt devices and users are left alone.
                </p>
                {preview.isPending && <p className='muted small' role='status'>Looking up every device on the list…</p>}
                {preview.isError && <ErrorNotice error={preview.error} title='Could not preview the device list' compact />}
                {preview.data !== undefined && <Suspense fallback={<p className='muted small'>Loading…</p>}><RunPreview preview={preview.data} compact /></Suspense>}
              </div>
            )}
            <ConfirmPhraseField value={typed} onChange={setTyped} />
            {start.isError && <ErrorNotice error={start.error} title='Could not start the run' compact />}
            <div className='button-row'>
              <button type='button' className='button button-ghost' onClick={() => setOpen(false)}>Cancel</button>
              <button type='submit' className='button button-danger' disabled={!canSubmit}>
                {mode === 'cluster'
                  ? 'Log out all users'
                  : start.isPending ? 'Starting…' : `One by one: ${startWords(totals)}`}
              </button>
            </div>
          </form>
        )}
        {logoutAll.isPending && (
          <div className='progress-block' role='status' aria-live='polite'>
            <div className='progress-bar' aria-hidden='true'><span /></div>
            <p>Logging out all EM users… CUCM may take a minute to answer.</p>
          </div>
        )}
        {logoutAll.isSuccess && (
          <div className='result' role='status'>
            {target.param === undefined
              ? (
                <div className='notice notice-success'>
                  <p className='notice-title'>CUCM ended every Extension Mobility login on the cluster</p>
                  <p className='notice-message'>{logoutAll.data.message}</p>
                  <p className='notice-meta'><a href={auditHref(logoutAll.data.auditId)} onClick={() => setOpen(false)}>View audit record #{logoutAll.data.auditId}</a></p>
                </div>
                )
              : <ClusterOutcomes result={logoutAll.data} clusters={scope.clusters} onLeave={() => setOpen(false)} />}
            <CountedNote result={logoutAll.data} />
            <p className='muted small'>Phones can take a few minutes to drop their users; CUCM caches login state for about two minutes.</p>
            <div className='button-row'>
              <button type='button' className='button' onClick={() => setOpen(false)} autoFocus>Done</button>
            </div>
          </div>
        )}
        {logoutAll.isError && (
          <div className='result'>
            <ErrorNotice error={logoutAll.error} title='Log out all failed' />
            <div className='button-row'>
              <button type='button' className='button button-ghost' onClick={() => setOpen(false)}>Close</button>
              <button type='button' className='button button-danger' onClick={() => logoutAll.mutate(target.param)} autoFocus>Try again</button>
            </div>
          </div>
        )}
      </ModalDialog>
    </section>
  )
}

/** Where the count in the title comes from: the inventory, as of when it was read. */
function CountedNote ({ result }: { result: LogoutAllResult }) {
  const asOf = result.clusters.map((part) => part.asOf).filter((at): at is string => at !== null).sort()[0]
  if (result.loggedOut === null || asOf === undefined) return null
  return (
    <p className='muted small'>
      The inventory (read <QuietAge at={asOf} />) counted {plural(result.loggedOut, 'user')} logged in; anyone who logged in since was logged out too.
    </p>
  )
}

/** Each cluster's part of a logout-all of several: how it ended, what CUCM said, its audit record. */
function ClusterOutcomes ({ result, clusters, onLeave }: { result: LogoutAllResult, clusters: ClusterOption[], onLeave: () => void }) {
  return (
    <>
      <div className={result.outcome === 'success' ? 'notice notice-success' : 'notice notice-error'}>
        <p className='notice-title'>{result.outcome === 'success' ? 'CUCM ended every Extension Mobility login' : 'Not every cluster logged out'}</p>
        {/* One cluster's own line below says the same: said once. */}
        {result.clusters.some((part) => part.message !== result.message) && <p className='notice-message'>{result.message}</p>}
      </div>
      <ul className='result-list' aria-label='Results per cluster'>
        {result.clusters.map((part) => (
          <li key={part.cluster}>
            <strong>{clusterLabel(clusters, part.cluster)}</strong>{' '}
            <Badge tone={succeeded(part) ? 'ok' : mayHaveHappened(part) ? 'warn' : 'bad'}>{succeeded(part) ? 'Logged out' : mayHaveHappened(part) ? OUTCOME_LABELS.unknown : 'Failed'}</Badge>{' '}
            <span className='small'>{part.message}{part.action !== undefined && <> <strong>What to do: </strong>{part.action}</>}</span>{' '}
            {part.code !== undefined && <span className='code-chip'>{part.code}</span>}{' '}
            {part.auditId !== null && <a href={auditHref(part.auditId)} onClick={onLeave}>Audit #{part.auditId}</a>}
          </li>
        ))}
      </ul>
    </>
  )
}
