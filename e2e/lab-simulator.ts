import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { spawnTiedNode, stopTiedChild } from './tied-child.ts'

const SIMULATOR = fileURLToPath(new URL('../server/dist/simulator/main.js', import.meta.url))

/**
 * A third CUCM for the journeys that add a cluster from the dashboard: the built simulator
 * (`npm run simulator`) in a process of its own, with a small site of its own. One phone shares
 * its name with the HQ seed's logged-in phone, so a look-up across clusters finds two.
 */
export const LAB = {
  /** jdoe is on the HQ phone of this name; lab.guest on the lab's. */
  sharedDevice: 'SEP001122334455',
  sharedUser: 'lab.guest',
  /** Only in the lab: lab.tech is logged in on it. */
  occupiedDevice: 'SEPC0FFEE000001',
  occupiedUser: 'lab.tech',
  freeDevice: 'SEPC0FFEE000002'
} as const

const SCENARIO = {
  users: [LAB.occupiedUser, LAB.sharedUser],
  profiles: [
    { name: 'lab.tech-8865', owners: [LAB.occupiedUser], isDefault: true },
    { name: 'lab.guest-8845', owners: [LAB.sharedUser], isDefault: true }
  ],
  devices: [
    { name: LAB.occupiedDevice, currentUser: LAB.occupiedUser, currentProfile: 'lab.tech-8865', model: 'Cisco 8865', devicePool: 'DP_LAB' },
    { name: LAB.freeDevice, model: 'Cisco 8865', devicePool: 'DP_LAB' },
    { name: LAB.sharedDevice, currentUser: LAB.sharedUser, currentProfile: 'lab.guest-8845', model: 'Cisco 8845', devicePool: 'DP_LAB' }
  ]
}

export interface LabSimulator {
  host: string
  port: number
  /** The simulator's self-signed certificate: what an admin pastes or uploads as the CA. */
  caPem: string
  /** Its application user (the simulator's defaults, printed at its start). */
  appUser: string
  appPassword: string
  origin: string
  /** The simulator's process. */
  pid: number
  stop: () => Promise<void>
}

/** Starts the simulator on a free port and waits for the line that says where it listens. */
export async function startLabSimulator (timeoutMs = 30_000): Promise<LabSimulator> {
  const work = mkdtempSync(join(tmpdir(), 'em-console-e2e-lab-'))
  const scenario = join(work, 'lab.json')
  const caFile = join(work, 'lab-ca.pem')
  writeFileSync(scenario, JSON.stringify(SCENARIO))
  const child = spawnTiedNode(SIMULATOR, ['--port', '0', '--host', '127.0.0.1', '--scenario', scenario, '--ca-file', caFile], { output: 'pipe' })
  if (child.pid === undefined) throw new Error('Could not start the lab simulator')
  let output = ''
  const started = await new Promise<{ origin: string, appUser: string, appPassword: string }>((resolve, reject) => {
    let settled = false
    const timer = setTimeout(() => { fail(new Error(`The lab simulator did not start within ${timeoutMs} ms:\n${output}`)) }, timeoutMs)
    function fail (error: Error): void {
      if (settled) return
      settled = true
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(error)
    }
    const read = (chunk: Buffer): void => {
      output += chunk.toString()
      const origin = /listening on (https:\/\/[^/\s]+)/.exec(output)?.[1]
      const appUser = /application user: (\S+)/.exec(output)?.[1]
      const appPassword = /password: {2,}(\S+)/.exec(output)?.[1]
      if (!settled && origin !== undefined && appUser !== undefined && appPassword !== undefined && /devices, \d+ users/.test(output)) {
        settled = true
        clearTimeout(timer)
        resolve({ origin, appUser, appPassword })
      }
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', read)
    child.once('exit', (code, signal) => { fail(new Error(`The lab simulator exited (code ${code ?? '-'}, signal ${signal ?? '-'}):\n${output}`)) })
  })
  const url = new URL(started.origin)
  return {
    host: url.hostname,
    port: Number(url.port),
    caPem: readFileSync(caFile, 'utf8'),
    appUser: started.appUser,
    appPassword: started.appPassword,
    origin: started.origin,
    pid: child.pid,
    stop: async () => {
      await stopTiedChild(child)
      rmSync(work, { recursive: true, force: true })
    }
  }
}
