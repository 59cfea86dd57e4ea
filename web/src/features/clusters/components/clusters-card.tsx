import { useId, useState } from 'react'
import type { Cluster } from '@em-console/shared/schemas'
import { Badge } from '../../../components/badge.tsx'
import { ErrorNotice } from '../../../components/error-notice.tsx'
import { emapiProblem } from '../../../lib/emapi-health.ts'
import { InlineConfirm } from '../../../components/inline-confirm.tsx'
import { ModalDialog } from '../../../components/modal-dialog.tsx'
import { useHasRole } from '../../../lib/authorization.tsx'
import { clusterLabel } from '../../../lib/cluster.tsx'
import { useClusters } from '../api/get-clusters.ts'
import { useDeleteCluster, useUpdateCluster } from '../api/save-cluster.ts'
import { useCheckCluster } from '../api/check-cluster.ts'
import { CheckResults, ClusterDialog } from './cluster-dialog.tsx'
import { NOTHING } from '../../../components/nothing.tsx'
import { useHealth } from '../../../lib/get-health.ts'

/** Settings → Clusters: every cluster with its health; admins add, edit, disable and delete. */
export function ClustersCard () {
  const clusters = useClusters()
  const isAdmin = useHasRole('admin')
  // Demo mode (no CUCM_HOST): the read-only clusters are the built-in simulators, not the environment's.
  const demo = useHealth().data?.mode === 'simulator'
  const [adding, setAdding] = useState(false)
  const [editing, setEditing] = useState<Cluster | undefined>()
  const [deleting, setDeleting] = useState<Cluster | undefined>()
  const [done, setDone] = useState('')
  const id = useId()
  const list = clusters.data?.clusters ?? []
  /** A cluster in a dialog's words: as the server's words and History say it. */
  const said = (cluster: Cluster): string => clusterLabel(list, cluster.id)

  return (
    <section className='card' aria-labelledby={`${id}-title`}>
      <header className='card-header'>
        <h2 id={`${id}-title`}>Clusters</h2>
        {clusters.isFetching && <span className='muted small'>Checking…</span>}
        {isAdmin && <button type='button' className='button button-primary button-small' onClick={() => { setDone(''); setAdding(true) }}>Add cluster…</button>}
      </header>
      <p className='muted card-intro'>
        {demo
          ? 'The demo\'s clusters are EM Console\'s built-in CUCM simulators (no CUCM_HOST is set) and are read-only here.'
          : 'The first cluster comes from the server\'s environment (CUCM_* settings) and is read-only here.'}
        {isAdmin ? ' Clusters added here take effect at once; their passwords are stored encrypted and never shown again.' : ' Admins add and change the others.'}
      </p>
      {clusters.isPending && <p className='muted'>Loading clusters…</p>}
      {clusters.isError && <ErrorNotice error={clusters.error} title='Could not read the clusters' />}
      {list.length > 0 && (
        <div className='table-wrap'>
          <table className='table'>
            <thead>
              <tr>
                <th scope='col'>Cluster</th>
                <th scope='col'>CUCM</th>
                <th scope='col'>Health</th>
                <th scope='col'>Source</th>
                {isAdmin && <th scope='col'><span className='visually-hidden'>Actions</span></th>}
              </tr>
            </thead>
            <tbody>
              {list.map((cluster) => (
                <ClusterRow
                  key={cluster.id}
                  cluster={cluster}
                  isAdmin={isAdmin}
                  demo={demo}
                  onEdit={() => { setDone(''); setEditing(cluster) }}
                  onDelete={() => { setDone(''); setDeleting(cluster) }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {done !== '' && (
        <div className='notice notice-success' role='status'>
          <p className='notice-message'>{done}</p>
        </div>
      )}
      {adding && <ClusterDialog open onClose={() => setAdding(false)} onSaved={(saved) => setDone(`Added cluster ${saved.name} (${saved.id}).`)} />}
      {editing !== undefined && <ClusterDialog open cluster={editing} said={said(editing)} onClose={() => setEditing(undefined)} onSaved={(saved) => setDone(`Saved cluster ${saved.name} (${saved.id}).`)} />}
      {deleting !== undefined && <DeleteClusterDialog cluster={deleting} said={said(deleting)} onClose={() => setDeleting(undefined)} onDeleted={(words) => setDone(`Deleted cluster ${words}. Its history stays.`)} />}
    </section>
  )
}

export function ClusterHealth ({ cluster }: { cluster: Cluster }) {
  if (cluster.problem !== null) {
    return <><Badge tone='bad'>Unusable</Badge> <span className='cell-sub small'>{cluster.problem}</span></>
  }
  if (!cluster.enabled) return <Badge tone='neutral'>Disabled</Badge>
  const health = cluster.health
  if (health === null) return NOTHING
  if (health.checking === true) return <Badge tone='neutral'>Checking…</Badge>
  if (health.reachable) return <Badge tone='ok'>Reachable{health.latencyMs === null ? '' : ` · ${Math.round(health.latencyMs)} ms`}</Badge>
  const problem = emapiProblem(health)
  return <><Badge tone='bad'>{problem.charAt(0).toUpperCase() + problem.slice(1)}</Badge> <span className='cell-sub small'>{health.error?.message}</span></>
}

interface ClusterRowProps {
  cluster: Cluster
  isAdmin: boolean
  demo: boolean
  onEdit: () => void
  onDelete: () => void
}

function ClusterRow ({ cluster, isAdmin, demo, onEdit, onDelete }: ClusterRowProps) {
  const update = useUpdateCluster()
  // The checks of `em-console check`, on the cluster as saved: the environment's one included.
  const check = useCheckCluster()
  const name = cluster.name
  // Disable and Enable take each other's place: one id, so the focus goes on to the one drawn (lib/focus-keeper.ts).
  const switchId = `${useId()}-switch`
  // Busy while its own change is on its way, not while the lists read again after it: the Disable
  // drawn once Enable is answered takes Enter at once.
  const switching = (enabled: boolean): boolean => update.isPending && update.variables.body.enabled === enabled
  const message = update.isError || check.data !== undefined || check.isError
  return (
    <>
      <tr className={message ? 'row-with-message' : undefined}>
        <th scope='row'>
          <span className='cell-title'>{name}</span>
          <span className='cell-sub muted small mono'>{cluster.id}</span>
        </th>
        <td>
          <span className='mono'>{cluster.host}:{cluster.port}</span>
          {/* Said wherever the cluster is shown, not only in its edit dialog: nothing checks who answers. */}
          {cluster.tlsInsecure && <span className='cell-sub'><Badge tone='warn'>TLS not verified</Badge></span>}
        </td>
        <td><ClusterHealth cluster={cluster} /></td>
        <td>{cluster.readOnly ? <Badge tone='info'>{demo ? 'Built-in demo' : 'Environment'}</Badge> : <Badge tone='neutral'>Dashboard</Badge>}</td>
        {isAdmin && (
          <td className='cell-actions'>
            <div className='inline-confirm row-actions'>
              <button type='button' className='button button-ghost button-small' aria-label={`Check connection of ${cluster.id}`} disabled={check.isPending} onClick={() => { update.reset(); check.mutate({ id: cluster.id, changes: {} }) }}>
                {check.isPending ? 'Checking…' : 'Check connection'}
              </button>
              {!cluster.readOnly && (
                <>
                  <button type='button' className='button button-ghost button-small' aria-label={`Edit ${cluster.id}`} onClick={onEdit}>Edit…</button>
                  {cluster.enabled
                    ? (
                      <InlineConfirm
                        id={switchId}
                        label='Disable'
                        name={`Disable ${cluster.id}`}
                        busy={switching(false)}
                        question={`Disable ${cluster.id}? EM Console stops using it until it is enabled again.`}
                        groupName={`Confirm disabling ${cluster.id}`}
                        confirmLabel='Disable'
                        onOpen={() => { update.reset(); check.reset() }}
                        onConfirm={() => update.mutate({ id: cluster.id, body: { enabled: false } })}
                      />
                      )
                    : <button id={switchId} type='button' className='button button-small' aria-label={`Enable ${cluster.id}`} disabled={switching(true)} onClick={() => { check.reset(); update.mutate({ id: cluster.id, body: { enabled: true } }) }}>Enable</button>}
                  <button type='button' className='button button-ghost button-small' aria-label={`Delete ${cluster.id}`} onClick={onDelete}>Delete…</button>
                </>
              )}
            </div>
          </td>
        )}
      </tr>
      {message && (
        <tr className='row-message' aria-label={`Result for ${cluster.id}`}>
          <td colSpan={5}>
            {update.isError && <ErrorNotice error={update.error} title={`Could not change ${cluster.id}`} compact />}
            {check.isError && <ErrorNotice error={check.error} title={`Could not check ${cluster.id}`} compact />}
            {check.data !== undefined && <CheckResults check={check.data} />}
          </td>
        </tr>
      )}
    </>
  )
}

/** Deleting asks for the cluster's id, typed: a slip of the mouse must not forget a cluster. */
function DeleteClusterDialog ({ cluster, said, onClose, onDeleted }: { cluster: Cluster, said: string, onClose: () => void, onDeleted: (said: string) => void }) {
  const remove = useDeleteCluster()
  const [typed, setTyped] = useState('')
  const id = useId()
  return (
    <ModalDialog open title={`Delete cluster ${said}`} tone='danger' busy={remove.isPending} onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          if (typed !== cluster.id || remove.isPending) return
          // Its words as the dialog says them: once deleted, the list no longer has its name.
          remove.mutate(cluster.id, { onSuccess: () => { onDeleted(said); onClose() } })
        }}
      >
        <ul className='consequences'>
          <li>EM Console forgets {cluster.name} ({cluster.host}) and its stored passwords.</li>
          <li>Its history stays, under the id {cluster.id}.</li>
          <li>Nothing changes on CUCM.</li>
        </ul>
        <div className='field'>
          <label className='field-label' htmlFor={`${id}-confirm`}>Type <strong className='mono'>{cluster.id}</strong> to confirm</label>
          <input id={`${id}-confirm`} className='input mono' value={typed} onChange={(event) => setTyped(event.target.value)} autoComplete='off' spellCheck={false} data-autofocus />
        </div>
        {remove.isError && <ErrorNotice error={remove.error} title={`Could not delete ${said}`} />}
        <div className='button-row'>
          <button type='button' className='button button-ghost' onClick={onClose} disabled={remove.isPending}>Cancel</button>
          <button type='submit' className='button button-danger' disabled={typed !== cluster.id || remove.isPending}>{remove.isPending ? 'Deleting…' : 'Delete cluster'}</button>
        </div>
      </form>
    </ModalDialog>
  )
}
