/// <reference path="./undici-modules.d.ts" />
/**
 * The two parts of undici EM Console's clients use: a connection Pool, and `request` over any
 * dispatcher. Loaded alone, not the whole package (fetch, WebSocket, caches, mocks...): the CLI
 * starts in half the time and with 10 MB less (issue #14, bench:cli). Deep imports are not public
 * API, so undici is pinned exactly in package.json and test/emapi-client.test.ts checks that these
 * are the very Pool and request that undici exports.
 */
import type { Dispatcher } from 'undici'
import requestFunction from 'undici/lib/api/api-request.js'
import Pool from 'undici/lib/dispatcher/pool.js'

export { Pool }

/** `dispatcher.request(options)`, for a dispatcher that may not carry undici's API methods. */
export async function request (dispatcher: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
  return await requestFunction.call(dispatcher, options)
}

/**
 * How long an idle connection to CUCM is kept for the next request. Short of any server's own
 * idle limit (Tomcat's is its connection timeout, often 20 s; CUCM's is not documented): a request
 * sent on a connection the server is closing at that moment fails, and a change that fails so is
 * recorded `unknown` (it may have happened). A new TLS connection after 4 s idle costs little.
 */
export const IDLE_CONNECTION_MS = 4_000
