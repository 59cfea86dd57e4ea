import { useId, useState } from 'react'
import { ScheduleForm } from '../../features/schedules/components/schedule-form.tsx'
import { SchedulesTable } from '../../features/schedules/components/schedules-table.tsx'
import { useHasRole } from '../../lib/authorization.tsx'

export function SchedulesScreen () {
  const isAdmin = useHasRole('admin')
  const [created, setCreated] = useState<{ name: string, version: number }>({ name: '', version: 0 })
  const id = useId()
  return (
    <div className='stack'>
      <SchedulesTable />
      {isAdmin
        ? (
          <section className='card' aria-labelledby={`${id}-title`}>
            <header className='card-header'>
              <h2 id={`${id}-title`}>Create a schedule</h2>
            </header>
            {/* A fresh form after each schedule, so the next one starts from the defaults. */}
            <ScheduleForm key={created.version} onSaved={(schedule) => setCreated({ name: schedule.name, version: created.version + 1 })} />
            {created.name !== '' && (
              <div className='notice notice-success' role='status'>
                <p className='notice-message'>Created schedule <strong>{created.name}</strong>.</p>
              </div>
            )}
          </section>
          )
        : <p className='muted small'>Admins create and change schedules; operators can run one now.</p>}
    </div>
  )
}
