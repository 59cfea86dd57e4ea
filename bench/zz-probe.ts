import { createEmapiClient } from '../server/src/emapi/client.ts'
import { bulkDeviceName, bulkScenario } from '../server/src/simulator/bulk-scenario.ts'
import { startSimulatorProcess } from './lib.ts'
const sim = await startSimulatorProcess(bulkScenario(2000), { maxConcurrent: 5, latencyMs: 10 })
const client = createEmapiClient({ host: sim.host, port: sim.port, appUser: sim.appUser, appPassword: sim.appPassword, ca: sim.ca, timeoutMs: 15_000 })
await Promise.all(Array.from({ length: 5 }, async () => await client.deviceUserQuery(['x'])))
for (const lat of [10, 0, 10]) {
  await sim.admin('POST', 'reset'); await sim.admin('PUT', 'faults', { latencyMs: lat })
  const t = performance.now()
  let next = 0
  await Promise.all(Array.from({ length: 5 }, async () => { while (next < 1000) await client.logout(bulkDeviceName(next++)) }))
  console.log('latency', lat, 'x5: 1000 logouts in ms', Math.round(performance.now() - t), 'ideal', 1000 * lat / 5)
}
let t = performance.now()
for (let i = 0; i < 200; i++) await client.deviceUserQuery([bulkDeviceName(i)])
console.log('seq query (latency 10) per req', (performance.now() - t) / 200)
await sim.admin('PUT', 'faults', { latencyMs: 0 })
t = performance.now()
for (let i = 0; i < 200; i++) await client.deviceUserQuery([bulkDeviceName(i)])
console.log('seq query (latency 0) per req', (performance.now() - t) / 200)
await client.close(); await sim.stop()
