// The part of autocannon's API that load.ts uses (the package ships no types; @types/autocannon
// would be one more dependency for five fields).
declare module 'autocannon' {
  export interface Histogram {
    average: number
    min: number
    max: number
    p50: number
    p90: number
    p97_5: number
    p99: number
    p99_9: number
  }

  export interface Request {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string
  }

  export interface Options {
    url: string
    connections?: number
    duration?: number
    timeout?: number
    headers?: Record<string, string>
    requests?: Array<Request & { setupRequest?: (request: Request, context: Record<string, unknown>) => Request }>
  }

  export interface Result {
    requests: Histogram & { total: number, sent: number }
    latency: Histogram
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    mismatches: number
    resets: number
    statusCodeStats: Record<string, { count: number }>
  }

  function autocannon (options: Options): Promise<Result>
  export default autocannon
}
