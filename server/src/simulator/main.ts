/** `npm run simulator`: the CUCM EMAPI and AXL simulator on its own (USAGE below says how). */
import { parseArgs } from 'node:util'
import { loadScenarioFile } from './seed.js'
import { AXL_ADMIN_PREFIX, AXL_PATH } from './axl.js'
import { scaleScenario } from './scale-scenario.js'
import { ADMIN_PREFIX, SERVLET_PATH, startSimulator, type SimulatorOptions } from './server.js'
import type { Scenario } from './state.js'

// CUCM itself listens on 8443; 18443 stays clear of any local Tomcat or proxy on that port.
const DEFAULT_PORT = 18443

const USAGE = `Usage: node server/dist/simulator/main.js [--port N] [--host H] [--ca-file PATH]
  [--scenario FILE | --phones N --sessions N] [--axl-user U] [--axl-password P] [--expired-certificate]
  [--status-cache-seconds N] [--logout-all-seconds M]
Environment (arguments win): SIMULATOR_PORT, SIMULATOR_HOST, SIMULATOR_CA_FILE, SIMULATOR_SCENARIO,
SIMULATOR_PHONES, SIMULATOR_SESSIONS, SIMULATOR_AXL_USER, SIMULATOR_AXL_PASSWORD,
SIMULATOR_STATUS_CACHE_SECONDS, SIMULATOR_LOGOUT_ALL_SECONDS.
--phones and --sessions generate a large site instead of the seed. --expired-certificate presents a
certificate that expired a year ago (a CUCM whose Tomcat certificate nobody renewed). CUCM's lag
(PROTOCOL.md §5) is off unless asked: --status-cache-seconds N makes look-ups answer what was read
up to N seconds ago, --logout-all-seconds M makes a logoutAll's users drop over M seconds. Faults,
variants and the policy (the lag too) are set while it runs through its admin API (printed at start).`

function parsed (): ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>> {
  try {
    return parseArgs({ options: OPTIONS })
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`)
    process.exit(2)
  }
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  port: { type: 'string' },
  host: { type: 'string' },
  'ca-file': { type: 'string' },
  scenario: { type: 'string' },
  phones: { type: 'string' },
  sessions: { type: 'string' },
  'axl-user': { type: 'string' },
  'axl-password': { type: 'string' },
  'expired-certificate': { type: 'boolean' },
  'status-cache-seconds': { type: 'string' },
  'logout-all-seconds': { type: 'string' }
} as const

const { values } = parsed()
if (values.help === true) {
  console.log(USAGE)
  process.exit(0)
}

/** The scenario a file holds; one that cannot be read or is not a scenario stops the start saying so, without a stack. */
function scenarioOf (file: string): Scenario {
  try {
    return loadScenarioFile(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    console.error(code === undefined
      ? `${(error as Error).message} (${file}).`
      : `Cannot read the scenario file ${file} (${code}): give the path of a JSON scenario (--scenario or SIMULATOR_SCENARIO).`)
    process.exit(2)
  }
}

function count (text: string | undefined, name: string): number | undefined {
  if (text === undefined || text === '') return undefined
  if (!/^\d{1,7}$/.test(text)) {
    console.error(`Invalid ${name} "${text}": expected a whole number.`)
    process.exit(2)
  }
  return Number(text)
}

const portText = values.port ?? process.env.SIMULATOR_PORT ?? String(DEFAULT_PORT)
const port = Number(portText)
if (!/^\d+$/.test(portText) || port > 65535) {
  console.error(`Invalid port "${portText}": expected 0-65535 (--port or SIMULATOR_PORT).`)
  process.exit(2)
}

const options: SimulatorOptions = { port, expiredCertificate: values['expired-certificate'] === true }
const host = values.host ?? process.env.SIMULATOR_HOST
if (host !== undefined && host !== '') options.host = host
const caFile = values['ca-file'] ?? process.env.SIMULATOR_CA_FILE
if (caFile !== undefined && caFile !== '') options.caFile = caFile
const scenarioFile = values.scenario ?? process.env.SIMULATOR_SCENARIO
if (scenarioFile !== undefined && scenarioFile !== '') options.scenario = scenarioOf(scenarioFile)
const phones = count(values.phones ?? process.env.SIMULATOR_PHONES, 'phone count (--phones)')
const sessions = count(values.sessions ?? process.env.SIMULATOR_SESSIONS, 'session count (--sessions)')
if (phones !== undefined || sessions !== undefined) {
  if (options.scenario !== undefined) {
    console.error('Give either a scenario file or --phones/--sessions, not both.')
    process.exit(2)
  }
  try {
    options.scenario = scaleScenario({ phones: phones ?? 20_000, sessions: sessions ?? 0 })
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error))
    process.exit(2)
  }
}
const statusCacheSeconds = count(values['status-cache-seconds'] ?? process.env.SIMULATOR_STATUS_CACHE_SECONDS, 'status cache (--status-cache-seconds)')
if (statusCacheSeconds !== undefined) options.statusCacheSeconds = statusCacheSeconds
const logoutAllSeconds = count(values['logout-all-seconds'] ?? process.env.SIMULATOR_LOGOUT_ALL_SECONDS, 'logout-all drop (--logout-all-seconds)')
if (logoutAllSeconds !== undefined) options.logoutAllSeconds = logoutAllSeconds
const axlUser = values['axl-user'] ?? process.env.SIMULATOR_AXL_USER
const axlPassword = values['axl-password'] ?? process.env.SIMULATOR_AXL_PASSWORD
options.axl = {
  ...(axlUser === undefined || axlUser === '' ? {} : { user: axlUser }),
  ...(axlPassword === undefined || axlPassword === '' ? {} : { password: axlPassword })
}

const sim = await startSimulator(options).catch((error: unknown) => {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
  console.error(`Port ${port} of ${options.host ?? '127.0.0.1'} is in use by another program (another simulator?): stop it, or give another --port (or SIMULATOR_PORT; 0: any free port).`)
  process.exit(2)
})
const counts = sim.state.counts()
console.log(`CUCM EMAPI simulator listening on ${sim.origin}${SERVLET_PATH}`)
console.log(`  application user: ${sim.credentials.appUser}`)
console.log(`  password:         ${sim.credentials.appPassword}`)
console.log(`  CA file:          ${sim.caFile}`)
console.log(`  admin API:        ${sim.origin}${ADMIN_PREFIX}state`)
console.log(`CUCM AXL simulator on ${sim.origin}${AXL_PATH} (versions ${sim.axl.versions.join(', ')})`)
console.log(`  AXL user:         ${sim.axl.credentials.user}`)
console.log(`  AXL password:     ${sim.axl.credentials.password}`)
console.log(`  AXL admin API:    ${sim.origin}${AXL_ADMIN_PREFIX}state`)
console.log(`  ${counts.devices} devices, ${counts.users} users, ${counts.loggedIn} logged in`)
const lag = sim.state.lag
if (lag.statusCacheSeconds > 0 || lag.logoutAllSeconds > 0) console.log(`  lag: status cache ${lag.statusCacheSeconds} s, logout-all drop over ${lag.logoutAllSeconds} s`)

let closing = false
async function shutdown (signal: string): Promise<void> {
  if (closing) return
  closing = true
  console.log(`${signal}: closing the simulator`)
  await sim.close()
  process.exit(0)
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    shutdown(signal).catch((error: unknown) => {
      console.error(error)
      process.exit(1)
    })
  })
}
