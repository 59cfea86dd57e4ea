/**
 * `npm run simulator`: the CUCM EMAPI simulator on its own.
 * Usage: node server/dist/simulator/main.js [--port N] [--host H] [--ca-file PATH] [--scenario FILE]
 * Environment (arguments win): SIMULATOR_PORT, SIMULATOR_HOST, SIMULATOR_CA_FILE, SIMULATOR_SCENARIO.
 */
import { parseArgs } from 'node:util'
import { loadScenarioFile } from './seed.js'
import { ADMIN_PREFIX, SERVLET_PATH, startSimulator, type SimulatorOptions } from './server.js'

// CUCM itself listens on 8443; 18443 stays clear of any local Tomcat or proxy on that port.
const DEFAULT_PORT = 18443

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'ca-file': { type: 'string' },
    scenario: { type: 'string' }
  }
})

const portText = values.port ?? process.env.SIMULATOR_PORT ?? String(DEFAULT_PORT)
const port = Number(portText)
if (!/^\d+$/.test(portText) || port > 65535) {
  console.error(`Invalid port "${portText}": expected 0-65535 (--port or SIMULATOR_PORT).`)
  process.exit(2)
}

const options: SimulatorOptions = { port }
const host = values.host ?? process.env.SIMULATOR_HOST
if (host !== undefined && host !== '') options.host = host
const caFile = values['ca-file'] ?? process.env.SIMULATOR_CA_FILE
if (caFile !== undefined && caFile !== '') options.caFile = caFile
const scenarioFile = values.scenario ?? process.env.SIMULATOR_SCENARIO
if (scenarioFile !== undefined && scenarioFile !== '') options.scenario = loadScenarioFile(scenarioFile)

const sim = await startSimulator(options)
const counts = sim.state.counts()
console.log(`CUCM EMAPI simulator listening on ${sim.origin}${SERVLET_PATH}`)
console.log(`  application user: ${sim.credentials.appUser}`)
console.log(`  password:         ${sim.credentials.appPassword}`)
console.log(`  CA file:          ${sim.caFile}`)
console.log(`  admin API:        ${sim.origin}${ADMIN_PREFIX}state`)
console.log(`  ${counts.devices} devices, ${counts.users} users, ${counts.loggedIn} logged in`)

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
