import type { ReactNode } from 'react'

/** The frame of the pages shown before signing in: the brand, one card, one heading. */
export function AuthFrame ({ title, children }: { title: string, children: ReactNode }) {
  return (
    <main className='auth-page' id='main'>
      <div className='auth-card'>
        <div className='brand auth-brand'>
          <span className='brand-mark' aria-hidden='true'>EM</span>
          <span className='brand-name'>EM Console</span>
        </div>
        <h1 className='auth-title'>{title}</h1>
        {children}
      </div>
    </main>
  )
}
