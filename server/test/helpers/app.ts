import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import Fastify, { type FastifyInstance } from 'fastify'
import app from '../../src/app.ts'
import { createAuditRepository, type AuditRepository } from '../../src/audit/audit-repository.ts'
import { openDatabase, type Db } from '../../src/db/database.ts'
import { createEmapiClient, type EmapiClientOptions } from '../../src/emapi/client.ts'
import { createEmService, type EmService } from '../../src/services/em-service.ts'
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/server.ts'

export interface TestApp {
  app: FastifyInstance
  sim: Simulator
  db: Db
  audit: AuditRepository
  em: EmService
  /** Every log line the app wrote. */
  logs: string[]
  close: () => Promise<void>
}

export interface TestAppOptions {
  simulator?: SimulatorOptions
  client?: Partial<EmapiClientOptions>
  busyRetries?: number
}

/** The real app on a real SQLite file, talking HTTPS to a real simulator. */
export async function buildTestApp (options: TestAppOptions = {}): Promise<TestApp> {
  const sim = await startSimulator(options.simulator)
  const dir = mkdtempSync(join(tmpdir(), 'em-console-test-'))
  const db = openDatabase(join(dir, 'audit.db'))
  const audit = createAuditRepository(db)
  const client = createEmapiClient({ host: sim.host, port: sim.port, ...sim.credentials, ca: sim.caPem, timeoutMs: 1500, ...options.client })
  const em = createEmService({ client, audit, maxConcurrency: 4, timeoutMs: 1500, busyRetries: options.busyRetries ?? 2, busyBackoffMs: 5, healthCacheMs: 0 })
  const logs: string[] = []
  const stream = new Writable({ write (chunk: Buffer, _encoding, done) { logs.push(chunk.toString()); done() } })
  const fastify = Fastify({ logger: { level: 'trace', stream } })
  await fastify.register(app, { runtime: { em, audit, mode: 'simulator', cucm: { host: sim.host, port: sim.port } }, version: '0.0.0-test', webRoot: join(dir, 'no-web') })
  await fastify.ready()
  return {
    app: fastify,
    sim,
    db,
    audit,
    em,
    logs,
    async close () {
      await fastify.close()
      await client.close()
      await sim.close()
      db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** The raw XML documents the simulator received whose root body element is `name`. */
export function receivedOf (sim: Simulator, name: string): string[] {
  return sim.received.filter((xml) => xml.includes(`<${name}>`) || xml.includes(`<${name}/>`))
}
