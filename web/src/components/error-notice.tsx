import { ApiError } from '../lib/api-client.ts'
import { auditHref } from '../lib/audit-link.ts'

interface ErrorNoticeProps {
  error: unknown
  /** For a field it is about to name it as its description (TextField's describedBy). */
  id?: string
  /** What the admin was trying to do, e.g. "Could not log out SEP001122334455". */
  title?: string
  compact?: boolean
  /** The "What to do" in the words of the form showing it (the API's name a query parameter). */
  actionWords?: (action: string) => string
}

/** An API error in words an admin understands: what happened, what to do, EMAPI code, audit link. */
export function ErrorNotice ({ error, id, title, compact = false, actionWords = (action) => action }: ErrorNoticeProps) {
  const apiError = error instanceof ApiError ? error : undefined
  const message = apiError?.message ?? (error instanceof Error ? error.message : 'Something went wrong.')
  return (
    <div id={id} className={compact ? 'notice notice-error notice-compact' : 'notice notice-error'} role='alert'>
      {title !== undefined && <p className='notice-title'>{title}</p>}
      <p className='notice-message'>{message}</p>
      {apiError?.action !== undefined && (
        <p className='notice-action'><strong>What to do: </strong>{actionWords(apiError.action)}</p>
      )}
      {(apiError?.emapiCode !== undefined || apiError?.auditId !== undefined) && (
        <p className='notice-meta'>
          {apiError.emapiCode !== undefined && <span className='code-chip'>EMAPI code {apiError.emapiCode}</span>}
          {apiError.auditId !== undefined && <a href={auditHref(apiError.auditId)}>View audit record #{apiError.auditId}</a>}
        </p>
      )}
    </div>
  )
}
