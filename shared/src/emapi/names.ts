import { DEVICE_NAME as DEVICE_NAME_FIELD, patternOf, shortProblem, USER_ID as USER_ID_FIELD } from '../field-rules.js'

/**
 * What CUCM accepts as a device name and a user ID (field-rules.ts holds the rules and their
 * words): the REST schemas, the CSV and command-line readers and the dashboard all check against
 * these. Phones are SEP + 12 hex digits; soft clients CSF…, TCT…, BOT…; user IDs may hold almost
 * anything (e-mail addresses, spaces, non-ASCII) except control characters (nor what XML cannot carry).
 */
export const DEVICE_NAME_RULE = {
  pattern: patternOf(DEVICE_NAME_FIELD),
  maxLength: DEVICE_NAME_FIELD.maxLength,
  words: DEVICE_NAME_FIELD.allowed
} as const

export const USER_ID_RULE = {
  pattern: patternOf(USER_ID_FIELD),
  maxLength: USER_ID_FIELD.maxLength,
  words: USER_ID_FIELD.allowed
} as const

const DEVICE_NAME = new RegExp(DEVICE_NAME_RULE.pattern)
const USER_ID = new RegExp(USER_ID_RULE.pattern)

function quoted (text: string): string {
  return `"${text.length > 60 ? `${text.slice(0, 60)}…` : text}"`
}

/** Why `name` cannot be a CUCM device name, in plain words; undefined when it can. */
export function deviceNameProblem (name: string): string | undefined {
  if (name.length === 0) return 'a device name is empty'
  if (name.length > DEVICE_NAME_RULE.maxLength) return `${quoted(name)} is ${name.length} characters long; a device name has at most ${DEVICE_NAME_RULE.maxLength}`
  if (!DEVICE_NAME.test(name)) return `${quoted(name)} is not a device name (${DEVICE_NAME_RULE.words})`
  return undefined
}

/** Why `userId` cannot be a CUCM user ID, in plain words; undefined when it can. */
export function userIdProblem (userId: string): string | undefined {
  if (userId.length === 0) return 'the user ID is empty'
  // Characters as the API's schema and the dashboard count them: 𠮷 is one, not its two UTF-16 units.
  const length = [...userId].length
  if (length > USER_ID_RULE.maxLength) return `the user ID is ${length} characters long; at most ${USER_ID_RULE.maxLength} are allowed`
  if (!USER_ID.test(userId)) return `the user ID cannot be used: ${shortProblem(USER_ID_FIELD, userId) ?? 'a character is not allowed'}`
  return undefined
}
