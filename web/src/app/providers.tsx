import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { ApiError } from '../lib/api-client.ts'

export function createQueryClient (): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // Each read is an EMAPI query and an audit record: do not re-read on every window focus,
        // and do not retry answers that will not change (4xx).
        refetchOnWindowFocus: false,
        retry: (failureCount, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failureCount < 1
      },
      mutations: { retry: false }
    }
  })
}

export function Providers ({ client, children }: { client: QueryClient, children: ReactNode }) {
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>
}
