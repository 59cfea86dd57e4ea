/*
 * What each kind of field may hold, in words, and the check that goes with them. The limits mirror
 * the API's schemas (shared/src/schemas); they are repeated here rather than imported because the
 * schemas would pull TypeBox into the bundle. One rule per field kind: the forms check with it
 * before sending, and api-client.ts words the server's verdicts with it.
 */

export interface FieldRule {
  /** The field as people know it. */
  label: string
  /** What it may hold, in words. */
  allowed: string
  maxLength: number
  /** The characters it may hold, when only some are allowed. */
  characters?: RegExp
  /** Its first character, when that is narrower. */
  first?: RegExp
}

/** Control characters (no CUCM name or ID holds one). */
const CONTROL = /[\u0000-\u001f\u007f]/ // eslint-disable-line no-control-regex

export const DEVICE_NAME: FieldRule = {
  label: 'Device name',
  allowed: 'letters, digits, dot, dash and underscore; up to 50 characters',
  maxLength: 50,
  characters: /[A-Za-z0-9._-]/
}

export const USER_ID: FieldRule = {
  label: 'User ID',
  allowed: 'up to 128 characters, without control characters',
  maxLength: 128
}

export const PROFILE_NAME: FieldRule = {
  label: 'Device profile',
  allowed: 'up to 50 characters, without control characters',
  maxLength: 50
}

export const SCHEDULE_NAME: FieldRule = {
  label: 'Name',
  allowed: 'letters, digits, space, dot, dash and underscore, starting with a letter or digit; up to 64 characters',
  maxLength: 64,
  characters: /[A-Za-z0-9 ._-]/,
  first: /[A-Za-z0-9]/
}

export const ACCOUNT_NAME: FieldRule = {
  label: 'User name',
  allowed: 'letters, digits, dot, dash, underscore and @; up to 64 characters',
  maxLength: 64,
  characters: /[A-Za-z0-9._@-]/
}

export const CLUSTER_ID: FieldRule = {
  label: 'Id',
  allowed: 'letters, digits and dash, starting with a letter or digit; up to 40 characters',
  maxLength: 40,
  characters: /[A-Za-z0-9-]/,
  first: /[A-Za-z0-9]/
}

export const CLUSTER_NAME: FieldRule = { label: 'Name', allowed: 'up to 64 characters, without control characters', maxLength: 64 }

export const HOST: FieldRule = {
  label: 'Host',
  allowed: 'a host name or IP address: letters, digits, dot, dash and colon; up to 253 characters',
  maxLength: 253,
  characters: /[A-Za-z0-9.:-]/
}

export const APP_USER: FieldRule = { label: 'Application user', allowed: 'up to 128 characters, without control characters', maxLength: 128 }

export const CRON: FieldRule = { label: 'Cron expression', allowed: 'five fields (minute hour day month weekday), up to 120 characters', maxLength: 120 }
export const TIMEZONE: FieldRule = { label: 'Time zone', allowed: 'an IANA name such as Europe/Paris, up to 64 characters', maxLength: 64 }
export const DEVICE_FILTER: FieldRule = { label: 'Device', allowed: 'up to 100 characters', maxLength: 100 }
export const USER_FILTER: FieldRule = { label: 'User', allowed: 'up to 128 characters', maxLength: 128 }
export const SEARCH: FieldRule = { label: 'Search', allowed: 'up to 200 characters', maxLength: 200 }

/** What is wrong with `value`, without the field's name: "60 characters, 10 too many", `"<" is not allowed`. */
export function shortProblem (rule: FieldRule, value: string): string | undefined {
  const length = [...value].length
  if (length > rule.maxLength) return `${length} characters, ${length - rule.maxLength} too many`
  const control = CONTROL.exec(value)
  if (control !== null) return 'a control character (such as a tab) is not allowed'
  if (rule.first !== undefined && value !== '' && !rule.first.test(value[0] ?? '')) return `it starts with "${value[0] ?? ''}"`
  if (rule.characters !== undefined) {
    for (const character of value) {
      if (!rule.characters.test(character)) return `"${character}" is not allowed`
    }
  }
  return undefined
}

/** The whole sentence for a field's error, naming the field and what it may hold; undefined when valid. */
export function fieldProblem (rule: FieldRule, value: string): string | undefined {
  const problem = shortProblem(rule, value)
  if (problem === undefined) return undefined
  const detail = /^\d/.test(problem) ? `This one has ${problem}` : problem.replace(/^./, (c) => c.toUpperCase())
  return `${rule.label}: ${rule.allowed}. ${detail}.`
}

/** The rule of a field the API named in a 400 (`name`, `names.3`, `items.0.user`), by where it was. */
export function ruleOfApiField (where: string, field: string): FieldRule | undefined {
  const last = field.split('.').filter((part) => !/^\d+$/.test(part)).at(-1) ?? field
  if (where === 'params') return last === 'name' ? DEVICE_NAME : last === 'userId' ? USER_ID : undefined
  if (where === 'querystring') {
    return ({ cron: CRON, timezone: TIMEZONE, device: DEVICE_FILTER, user: USER_FILTER, q: SEARCH } as Record<string, FieldRule | undefined>)[last]
  }
  return ({
    name: SCHEDULE_NAME,
    names: DEVICE_NAME,
    devices: DEVICE_NAME,
    device: DEVICE_NAME,
    userId: USER_ID,
    user: USER_ID,
    users: USER_ID,
    deviceProfile: PROFILE_NAME,
    profile: PROFILE_NAME,
    username: ACCOUNT_NAME,
    id: CLUSTER_ID,
    host: HOST,
    axlHost: HOST,
    appUser: APP_USER,
    axlUser: APP_USER,
    cron: CRON,
    timezone: TIMEZONE
  } as Record<string, FieldRule | undefined>)[last]
}
