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
  fastify.addHook('preClose', async () => {
    runtime.runs.endStreams()
    await runtime.runs.stop()
  })
  fastify.addHook('onClose', async () => { await runtime.close() })
}

export default fp(runtimePlugin, { name: 'runtime', fastify: '5.x' })
