import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Dispatcher } from 'undici'
import type { Config } from '../config.js'
import { startRuntime, type Runtime, type Tuning } from '../runtime.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Everything EM Console is made of, built from the configuration; closed with the app. */
    runtime: Runtime
  }
}

export interface RuntimePluginOptions {
  config: Config
  dispatcher?: Dispatcher
  tuning?: Partial<Tuning>
}

/** How long a stop lets EMAPI requests in flight answer before aborting them. */
const STOP_GRACE_MS = 4000

/**
 * The runtime as a plugin, so `app.close()` ends it in a fixed order: live progress streams end
 * and runs stop before the HTTP server waits for its open requests (a stream would hold it
 * open); then schedules, the EMAPI client, the simulator and, last, the store (runtime.ts).
 */
async function runtimePlugin (fastify: FastifyInstance, options: RuntimePluginOptions): Promise<void> {
  const runtime = await startRuntime(options.config, { role: 'server', log: fastify.log, dispatcher: options.dispatcher, tuning: options.tuning })
  fastify.decorate('runtime', runtime)
  // Only a server arms schedule timers: a CLI run must never fire them a second time.
  fastify.addHook('onReady', async () => {
    await runtime.bootstrapped
    await runtime.schedules.start()
    runtime.inventory.start()
  })
  // EMAPI requests in flight (a run's, a schedule's, the API's logout-all on a CUCM that does not answer) get
  // STOP_GRACE_MS from the stop's start: then they are aborted and end interrupted, their requests
  // are answered, and the server closes within the stop's deadline (they waited CUCM_TIMEOUT_MS).
  // A browser keeps its connection open once answered: closed as soon as it is idle, or the HTTP
  // server would wait for it (until the stop's deadline) before closing.
  let abortLate: NodeJS.Timeout | undefined
  let closeIdle: NodeJS.Timeout | undefined
  let unwatch: (() => void) | undefined
  fastify.addHook('preClose', async () => {
    // The clusters as the stop begins, and those an add or edit still answering puts after: closing
    // the runtime empties the registry's list while its clients wait for what is in flight (a
    // change or a look-up a silent CUCM holds, for its time limit; a health probe is ended there
    // at once, em-service dropProbes).
    const clusters = new Set(runtime.clusters.list())
    unwatch = runtime.clusters.onChange(() => { for (const cluster of runtime.clusters.list()) clusters.add(cluster) })
    abortLate = setTimeout(() => {
      for (const cluster of clusters) cluster.em.abortInFlight('server').catch((error: unknown) => { fastify.log.error({ err: error, cluster: cluster.id }, 'Stop: aborting EMAPI requests failed') })
    }, STOP_GRACE_MS)
    runtime.runs.endStreams()
    await runtime.runs.stop()
    closeIdle = setInterval(() => { fastify.server.closeIdleConnections() }, 100)
  })
  // The grace holds until the runtime has closed: a timed run's logout-all has no HTTP request to
  // keep the server open, so it is still in flight when the schedules are stopped here.
  fastify.addHook('onClose', async () => {
    clearInterval(closeIdle)
    try {
      await runtime.close()
    } finally {
      clearTimeout(abortLate)
      unwatch?.()
    }
  })
}

export default fp(runtimePlugin, { name: 'runtime', fastify: '5.x' })
