import { createPrivateKey, X509Certificate } from 'node:crypto'
import { createSecureContext } from 'node:tls'
import { createServer, isIP, type AddressInfo } from 'node:net'
import Fastify, { LogController } from 'fastify'
import app, { fastifyOptions } from './app.js'
import { ConfigError, loadConfig, readEnvironment, readSetting } from './config.js'
import { sentences } from './services/errors.js'
import { dropWritesOnceClosed } from './processes.js'

/** A stop that takes longer than this is cut short (systemd waits 90 s; a person less). */
const STOP_DEADLINE_MS = 9500

/**
 * The dashboard's certificate and key, checked as a handshake will use them: a key that does not
 * match its certificate let the server start and fail every connection without a word.
 */
function tlsOf (certFile: string, keyFile: string): { cert: string, key: string } {
  const cert = readSetting('TLS_CERT_FILE', certFile)
  const key = readSetting('TLS_KEY_FILE', keyFile)
  try {
    // eslint-disable-next-line no-new
    new X509Certificate(cert)
  } catch {
    throw new ConfigError('TLS_CERT_FILE', `${certFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`)
  }
  try {
    createPrivateKey(key)
  } catch {
    throw new ConfigError('TLS_KEY_FILE', `${keyFile} holds no PEM private key (-----BEGIN PRIVATE KEY-----), or it is encrypted`)
  }
  try {
    createSecureContext({ cert, key })
  } catch (error) {
    throw new ConfigError('TLS_KEY_FILE', `${keyFile} is not the key of the certificate in TLS_CERT_FILE (${error instanceof Error ? error.message : String(error)})`)
  }
  return { cert, key }
}

/**
 * The host of the setup link: the address listened on, unless the dashboard's certificate does not
 * name it (a browser refuses https://127.0.0.1 under a certificate for the server's name, and the
 * link works once): then the first name the certificate holds.
 */
function linkHost (listened: string, cert: string | undefined): string {
  const host = listened === '0.0.0.0' || listened === '::' ? 'localhost' : listened
  const named = cert === undefined ? undefined : new X509Certificate(cert)
  const covered = named === undefined || (isIP(host) === 0 ? named.checkHost(host) : named.checkIP(host)) !== undefined
  const name = covered ? host : named.subjectAltName?.split(', ').find((entry) => entry.startsWith('DNS:') && !entry.includes('*'))?.slice(4) ?? host
  return isIP(name) === 6 ? `[${name}]` : name
}

/** Why HOST and PORT cannot be listened on, as a configuration error (exit 3); undefined for any other failure. */
function listenRefusal (code: string | undefined, host: string, port: number): ConfigError | undefined {
  if (code === 'EADDRINUSE') return new ConfigError('PORT', `${host}:${port} is in use by another program (another EM Console?): stop it, or set PORT (or HOST) to a free one.`)
  if (code === 'EACCES') return new ConfigError('PORT', `listening on port ${port} needs privileges this process does not have: set PORT to 1024 or above (a reverse proxy can serve 443).`)
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ConfigError('HOST', `"${host}" is not an address of this machine: set HOST to one of its addresses, 127.0.0.1 (this machine only) or 0.0.0.0 (every network).`)
  return undefined
}

/**
 * Whether HOST:PORT can be listened on, asked before the app opens the database: a server started
 * beside one still running on it (an older release keeps no lock) must change nothing there (it
 * applied its migrations and marked the running one's actions interrupted, then failed to listen).
 */
async function checkListen (host: string, port: number): Promise<void> {
  const probe = createServer()
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject)
      probe.listen(port, host, () => { probe.close(() => { resolve() }) })
    })
  } catch (error) {
    throw listenRefusal((error as NodeJS.ErrnoException).code, host, port) ?? error
  }
}

/** Listens and handles signals; app.ts builds everything else, and closes it with the app. */
async function main (): Promise<void> {
  const config = loadConfig(readEnvironment(process.env))
  const https = config.TLS_CERT_FILE === undefined || config.TLS_KEY_FILE === undefined ? null : tlsOf(config.TLS_CERT_FILE, config.TLS_KEY_FILE)
  // On a terminal, the log goes through process.stdout, whose writes once the terminal closed (EIO,
  // beside its SIGHUP) are dropped: pino's own destination tried such a write again for ever, deaf
  // to any signal but SIGKILL, the database open and its lock held.
  const onTerminal = process.stdout.isTTY
  if (onTerminal) dropWritesOnceClosed(process.stdout)
  const fastify = Fastify({
    ...fastifyOptions(config),
    logger: {
      ...(onTerminal ? { stream: process.stdout } : {}),
      level: config.LOG_LEVEL,
      redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]']
    },
    https,
    // One access-log line per request, at debug level (app.ts): at info, two JSON lines per
    // request cost more than the rest of a look-up's own work.
    logController: new LogController({ disableRequestLogging: true })
  })
  await checkListen(config.HOST, config.PORT)
  await fastify.register(app, { config })
  let closing = false
  const close = async (signal: string): Promise<void> => {
    if (closing) return
    closing = true
    fastify.log.info({ signal }, 'closing')
    // Rows a cut-short stop leaves pending are marked interrupted at the next start.
    setTimeout(() => {
      fastify.log.error({ deadlineMs: STOP_DEADLINE_MS }, 'Stopping took too long: exiting now')
      process.exit(1)
    }, STOP_DEADLINE_MS).unref()
    const stopping = Date.now()
    await fastify.close()
    fastify.log.info({ signal, ms: Date.now() - stopping }, 'Stopped: live progress streams ended, runs stopped, schedules and inventory refreshes stopped, the database closed')
    process.exit(0)
  }
  // SIGHUP too (a terminal closed, or a `kill -HUP` asking for a reload there is none of): by
  // default it killed the server outright, and systemd, to which SIGHUP is a clean end, did not restart it.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => { close(signal).catch(console.error) })

  try {
    await fastify.listen({ host: config.HOST, port: config.PORT })
  } catch (error) {
    const refusal = listenRefusal((error as NodeJS.ErrnoException).code, config.HOST, config.PORT)
    if (refusal === undefined) throw error
    await fastify.close()
    throw refusal
  }
  const { setupToken } = await fastify.runtime.bootstrapped
  if (setupToken !== undefined) {
    const { port } = fastify.server.address() as AddressInfo
    // The one way in when no account exists: whoever can read this log can create the first admin.
    fastify.log.warn(`No account exists yet. Create the first admin at ${https === null ? 'http' : 'https'}://${linkHost(config.HOST, https?.cert)}:${port}/#/setup?token=${setupToken} (the link works once).`)
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    // As the CLI says it: what is wrong, then what to do.
    console.error(sentences(error.message, error.fix))
    process.exit(3)
  }
  console.error(error)
  process.exit(1)
})
