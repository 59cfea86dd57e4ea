/**
 * Every SQL statement EM Console sends to AXL, in one place (../../../../shared/axl/PROTOCOL.md
 * §2, §3). The schema is not a contract: each query names every column it reads, and the answer
 * parser fails naming any column CUCM did not return. No statement takes user input: the only
 * values in them are numbers this code computed, checked to be safe integers.
 */

/** A statement and the columns its rows must hold (element names: the column or its alias). */
export interface SqlQuery {
  sql: string
  columns: readonly string[]
}

function integer (value: number, what: string, min: number): string {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${what} must be a safe integer >= ${min}, got ${String(value)}`)
  return String(value)
}

/** Informix paging: SKIP i FIRST k straight after SELECT; pages need the ORDER BY of the statement. */
function page (skip: number, first: number): string {
  return `SKIP ${integer(skip, 'skip', 0)} FIRST ${integer(first, 'first', 1)}`
}

const COUNT_COLUMNS = ['total'] as const

// All phones (tkclass 1), EM enabled or not: the inventory says which phones cannot take a login.
// LEFT JOINs: a phone whose model or pool cannot be looked up is still a phone.
const PHONES_FROM = 'FROM device d LEFT JOIN typemodel tm ON tm.enum = d.tkmodel LEFT JOIN devicepool dp ON dp.pkid = d.fkdevicepool WHERE d.tkclass = 1'

export const PHONE_COLUMNS = ['name', 'description', 'model', 'devicepool', 'allowhotelingflag'] as const

export function countPhonesQuery (): SqlQuery {
  return { sql: `SELECT COUNT(*) AS total ${PHONES_FROM}`, columns: COUNT_COLUMNS }
}

export function phonesPageQuery (skip: number, first: number): SqlQuery {
  return {
    sql: `SELECT ${page(skip, first)} d.name, d.description, tm.name AS model, dp.name AS devicepool, d.allowhotelingflag ${PHONES_FROM} ORDER BY d.name`,
    columns: PHONE_COLUMNS
  }
}

// The row of extensionmobilitydynamic survives logout; "logged in now" is fkenduser IS NOT NULL,
// and the inner JOIN on enduser says the same. The profile is a device row (tkclass 254).
const SESSIONS_FROM = 'FROM extensionmobilitydynamic emd JOIN device d ON d.pkid = emd.fkdevice JOIN enduser eu ON eu.pkid = emd.fkenduser ' +
  'LEFT JOIN device p ON p.pkid = emd.fkdevice_currentloginprofile LEFT JOIN devicepool dp ON dp.pkid = d.fkdevicepool ' +
  'LEFT JOIN typemodel tm ON tm.enum = d.tkmodel WHERE emd.fkenduser IS NOT NULL'

export const SESSION_COLUMNS = ['device', 'userid', 'profile', 'logintime', 'loginduration', 'devicepool', 'model', 'description'] as const

export function countSessionsQuery (): SqlQuery {
  return { sql: `SELECT COUNT(*) AS total ${SESSIONS_FROM}`, columns: COUNT_COLUMNS }
}

export function sessionsPageQuery (skip: number, first: number): SqlQuery {
  return {
    sql: `SELECT ${page(skip, first)} d.name AS device, eu.userid, p.name AS profile, emd.logintime, emd.loginduration, ` +
      `dp.name AS devicepool, tm.name AS model, d.description ${SESSIONS_FROM} ORDER BY d.name`,
    columns: SESSION_COLUMNS
  }
}
