/**
 * The CUCM tables AXL reads, built from the simulator's state: only tables and columns that
 * CUCM has (../../../../shared/axl/PROTOCOL.md §3), so a query that works here names nothing a
 * real publisher would refuse. Values are as Informix answers them: epoch seconds, 't'/'f'.
 */
import { createHash } from 'node:crypto'
import type { Database, Row, Table } from './axl-sql.js'
import type { SimulatorState } from './state.js'

const PHONE_CLASS = 1
const DEVICE_PROFILE_CLASS = 254
const PROFILE_MODEL = 'Cisco 8865'

export const AXL_TABLE_COLUMNS = {
  device: ['pkid', 'name', 'description', 'tkclass', 'tkmodel', 'fkdevicepool', 'allowhotelingflag'],
  enduser: ['pkid', 'userid', 'firstname', 'lastname', 'displayname'],
  extensionmobilitydynamic: ['pkid', 'fkdevice', 'fkenduser', 'fkenduser_lastlogin', 'fkdevice_currentloginprofile', 'logintime', 'loginduration', 'datetimestamp'],
  typemodel: ['enum', 'name'],
  devicepool: ['pkid', 'name'],
  emremotedynamic: ['remoteuserid', 'logintime']
} as const

const pkids = new Map<string, string>()

/** A stable UUID-shaped pkid per (kind, name), as CUCM keys its rows. */
function pkid (kind: string, name: string): string {
  const id = `${kind}:${name.toLowerCase()}`
  let found = pkids.get(id)
  if (found === undefined) {
    const hex = createHash('sha1').update(id).digest('hex')
    found = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
    pkids.set(id, found)
  }
  return found
}

const seconds = (ms: number | null): number | null => ms === null ? null : Math.floor(ms / 1000)

function table (columns: readonly string[], rows: Row[], missing: readonly string[] = []): Table {
  return { columns: columns.filter((c) => !missing.includes(c)), rows }
}

/** How this release differs where PROTOCOL.md leaves it open (AxlFaults of axl.ts). */
export interface AxlSchemaOptions {
  /** loginduration of a login without a maximum: 0 or NULL. */
  noMaximumAs?: 'zero' | 'null'
  /** Columns left out of every table. */
  missingColumns?: readonly string[]
}

/** Builds the tables from a snapshot of the state; the AXL handler caches them per state revision. */
export function buildAxlTables (state: SimulatorState, schema: AxlSchemaOptions = {}): Database {
  const noMaximum = schema.noMaximumAs === 'null' ? null : 0
  const { devices, users, profiles } = state.snapshot()
  const models = new Map<string, number>()
  const modelEnum = (name: string): number => {
    let found = models.get(name)
    if (found === undefined) models.set(name, found = 30000 + models.size)
    return found
  }
  const pools = new Set(devices.map((d) => d.devicePool))

  const deviceRows: Row[] = devices.map((d) => ({
    pkid: pkid('device', d.name),
    name: d.name,
    description: d.description,
    tkclass: PHONE_CLASS,
    tkmodel: modelEnum(d.model),
    fkdevicepool: pkid('devicepool', d.devicePool),
    allowhotelingflag: d.emEnabled ? 't' : 'f'
  }))
  // Device profiles are rows of the device table too (tkclass 254), without a device pool.
  for (const p of profiles) {
    deviceRows.push({ pkid: pkid('device', p.name), name: p.name, description: '', tkclass: DEVICE_PROFILE_CLASS, tkmodel: modelEnum(PROFILE_MODEL), fkdevicepool: null, allowhotelingflag: 'f' })
  }

  const dynamicRows: Row[] = devices.filter((d) => d.emEnabled).map((d) => ({
    pkid: pkid('emd', d.name),
    fkdevice: pkid('device', d.name),
    fkenduser: d.currentUser === null ? null : pkid('enduser', d.currentUser),
    fkenduser_lastlogin: d.lastUser === null ? null : pkid('enduser', d.lastUser),
    fkdevice_currentloginprofile: d.currentProfile === null ? null : pkid('device', d.currentProfile),
    logintime: seconds(d.loginTime),
    // For a login without a maximum: what CUCM stores then is not known (PROTOCOL.md §3).
    loginduration: d.currentUser === null ? null : d.autoLogoutAt === null || d.loginTime === null ? noMaximum : Math.round((d.autoLogoutAt - d.loginTime) / 1000),
    datetimestamp: seconds(d.changedAt)
  }))

  const missing = schema.missingColumns ?? []
  return new Map<string, Table>([
    ['device', table(AXL_TABLE_COLUMNS.device, deviceRows, missing)],
    ['enduser', table(AXL_TABLE_COLUMNS.enduser, users.map((u) => ({ pkid: pkid('enduser', u), userid: u, firstname: null, lastname: null, displayname: u })), missing)],
    ['extensionmobilitydynamic', table(AXL_TABLE_COLUMNS.extensionmobilitydynamic, dynamicRows, missing)],
    ['typemodel', table(AXL_TABLE_COLUMNS.typemodel, [...models].map(([name, value]) => ({ enum: value, name })), missing)],
    ['devicepool', table(AXL_TABLE_COLUMNS.devicepool, [...pools].map((name) => ({ pkid: pkid('devicepool', name), name })), missing)],
    ['emremotedynamic', table(AXL_TABLE_COLUMNS.emremotedynamic, [], missing)]
  ])
}
