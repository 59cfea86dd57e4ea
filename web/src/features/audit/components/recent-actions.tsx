import { ErrorNotice } from '../../../components/error-notice.tsx'
import { auditHref } from '../../../lib/audit-link.ts'
import { useAuditPage } from '../api/get-audit-page.ts'
import { AuditTable } from './audit-table.tsx'

const RECENT = { limit: 6 }

export function RecentActions () {
  const page = useAuditPage(RECENT, 15_000)
  return (
    <section className='card' aria-labelledby='recent-title'>
      <header className='card-header'>
        <h2 id='recent-title'>Recent actions</h2>
        <a href='#/history' className='small'>Open history</a>
      </header>
      {page.isPending && <p className='muted'>Loading…</p>}
      {page.isError && <ErrorNotice error={page.error} title='Could not load the recent actions' />}
      {page.data?.items.length === 0 && <p className='empty'>Nothing has happened yet.</p>}
      {page.data !== undefined && page.data.items.length > 0 && (
        <AuditTable items={page.data.items} compact onSelect={(id) => { window.location.hash = auditHref(id) }} />
      )}
    </section>
  )
}
