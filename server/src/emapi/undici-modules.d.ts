// undici 7 ships no types for these two modules: they are what undici itself exports as `Pool`
// and as `Dispatcher.prototype.request` (emapi/undici.ts; checked by test/emapi-client.test.ts).
declare module 'undici/lib/dispatcher/pool.js' {
  import type { Pool } from 'undici'
  const PoolClass: typeof Pool
  export default PoolClass
}
declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici'
  const request: (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>
  export default request
}
