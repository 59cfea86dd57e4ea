import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import Fastify, { LogController } from 'fastify'
import app from './app.js'
import { ConfigError, loadConfig, readEnvironment } from './config.js'
import { startRuntime } from './runtime.js'
import { VERSION } from './version.js'

async function main (): Promise<void> {
  const config = loadConfig(readEnvironment(process.env))
  const https = config.TLS_CERT_FILE === undefined || config.TLS_KEY_FILE === undefined
    ? null
    : { cert: readFileSync(config.TLS_CERT_FILE), key: readFileSync(config.TLS_KEY_FILE) }
  const fastify = Fastify({
    logger: {
      level: config.LOG_LEVEL,
      redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]']
    },
    https,
    // One access-log line per request, at debug level (app.ts): at info, two JSON lines per
    // request cost more than the rest of a look-up's own work.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    trustProxy: false
  })
  const runtime = await startRuntime(config, { markInterrupted: true })
  for (const warning of runtime.warnings) fastify.log.warn(warning)
  const boot = await runtime.auth.bootstrap()
  if (boot.created !== undefined) fastify.log.info(`Created the first admin account: ${boot.created}`)
  await fastify.register(app, {
    runtime,
    version: VERSION,
    https: https !== null,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    signInPerMinute: config.SIGN_IN_PER_MINUTE
  })
  // Only the server arms schedule timers: a CLI run must never fire them a second time.
  runtime.schedules.start(fastify.log)

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
  if (boot.setupToken !== undefined) {
    const { port } = fastify.server.address() as AddressInfo
    const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST
    // The one way in when no account exists: whoever can read this log can create the first admin.
    fastify.log.warn(`No account exists yet. Create the first admin at ${https === null ? 'http' : 'https'}://${host}:${port}/#/setup?token=${boot.setupToken} (the link works once).`)
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message)
    process.exit(3)
  }
  console.error(error)
  process.exit(1)
})
