import type { ErrorBody } from '@em-console/shared/schemas'
import { auditHref } from '../lib/audit-link.ts'
import { plural } from '../lib/format.ts'

/**
 * The clusters a look-up of several could not ask, and why: the answers shown are the others'.
 * `missing` says what may be on them (for example "A device shown as unknown").
 */
export function UnavailableClusters ({ unavailable, missing }: { unavailable: ReadonlyArray<ErrorBody['error']> | undefined, missing: string }) {
  if (unavailable === undefined || unavailable.length === 0) return null
  return (
    <div className='notice notice-warn' role='alert'>
      <p className='notice-title'>{plural(unavailable.length, 'cluster')} could not be asked: shown are the answers of the others. {missing} may be on {unavailable.length === 1 ? 'it' : 'them'}.</p>
      {unavailable.map((problem, i) => (
        <div key={problem.cluster ?? i}>
          <p className='notice-message'>{problem.message}</p>
          {problem.action !== undefined && <p className='notice-action'><strong>What to do: </strong>{problem.action}</p>}
          {problem.auditId !== undefined && <p className='notice-meta'><a href={auditHref(problem.auditId)}>View audit record #{problem.auditId}</a></p>}
        </div>
      ))}
    </div>
  )
}
