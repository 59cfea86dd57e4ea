import Fastify from 'fastify'
import app from './app.js'
import { ConfigError, loadConfig, readEnvironment } from './config.js'
import { startRuntime } from './runtime.js'
import { VERSION } from './version.js'

async function main (): Promise<void> {
  const config = loadConfig(readEnvironment(process.env))
  const fastify = Fastify({
    logger: {
      level: config.LOG_LEVEL,
      redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]']
    },
    bodyLimit: 1024 * 1024,
    trustProxy: false
  })
  const runtime = await startRuntime(config, { markInterrupted: true })
  for (const warning of runtime.warnings) fastify.log.warn(warning)
  await fastify.register(app, { runtime, version: VERSION })

  let closing = false
  const close = async (signal: string): Promise<void> => {
    if (closing) return
    closing = true
    fastify.log.info({ signal }, 'closing')
    await fastify.close()
    await runtime.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => { close('SIGTERM').catch(console.error) })
  process.on('SIGINT', () => { close('SIGINT').catch(console.error) })

  await fastify.listen({ host: config.HOST, port: config.PORT })
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message)
    process.exit(3)
  }
  console.error(error)
  process.exit(1)
})
