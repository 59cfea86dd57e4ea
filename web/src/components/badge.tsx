import type { ReactNode } from 'react'

export type Tone = 'ok' | 'bad' | 'warn' | 'neutral' | 'info'

export function Badge ({ tone = 'neutral', children }: { tone?: Tone, children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>
}
