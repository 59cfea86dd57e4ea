/**
 * The EMAPI error codes (PROTOCOL.md §4). Callers switch on the number, never on CUCM's text,
 * which varies between releases.
 */
export type EmapiErrorCategory =
  | 'configuration'
  | 'not-found'
  | 'conflict'
  | 'busy'
  | 'already-done'
  | 'cucm-side'
  | 'bug'

export interface EmapiCodeInfo {
  code: number
  message: string
  category: EmapiErrorCategory
  action: string
  /** The code itself says what went wrong: not 0 ("unknown error"), nor a code the documents do not list. */
  telling: boolean
}

const CHECK_CUCM = 'Check the Extension Mobility service and its trace files on CUCM, then try again.'
const EMCC = 'Extension Mobility Cross Cluster is not supported by EMAPI: handle this login on the phone or in CUCM Administration.'
const RAISE_BUG = 'This is a bug in EM Console: keep the audit record (it holds the request sent) and report it.'
const APP_USER_CREDENTIALS = 'Check CUCM_APP_USER and CUCM_APP_PASSWORD: they must be the user ID and password of the CUCM application user.'
/**
 * For a code that says nothing of the cause (0, as the DTD's <errorMessage> form is read, or an
 * undocumented one): CUCM's words, which its message quotes, are all it told, and texts are not
 * switched on (PROTOCOL.md §4). Such an answer may be a refused application user ("Could not
 * authenticate…") as well as a service fault, so the advice holds for either: credentials first.
 */
const UNTOLD_CAUSE = 'CUCM answered without a code that says what went wrong: the message quotes its words, if it gave any. Whatever they say, first check CUCM_APP_USER and CUCM_APP_PASSWORD, as a refused application user or password may be answered so, then the Extension Mobility service and its trace files on CUCM, and try again.'

type Entry = [EmapiErrorCategory, string, string]

const entries: Record<number, Entry> = {
  0: ['cucm-side', 'Unknown error', UNTOLD_CAUSE],
  1: ['bug', 'CUCM could not parse the request', RAISE_BUG],
  2: ['configuration', 'CUCM could not authorize the application user (blank user ID or password)', APP_USER_CREDENTIALS],
  3: ['configuration', 'Invalid application user: wrong user ID or password', APP_USER_CREDENTIALS],
  4: ['cucm-side', 'Policy validation error', CHECK_CUCM],
  5: ['cucm-side', 'Device logon is disabled', 'Enable Extension Mobility on the phone (Device > Phone > Enable Extension Mobility) in CUCM Administration.'],
  6: ['cucm-side', 'Database error on the CUCM side', 'Try again later; if it persists, check the CUCM database replication status.'],
  7: ['cucm-side', 'Could not set or clear the auto-logout duration', CHECK_CUCM],
  8: ['bug', 'CUCM could not determine the query type', RAISE_BUG],
  9: ['cucm-side', 'Directory user information error', 'Check that the user exists and is synchronised in CUCM (User Management > End User).'],
  10: ['configuration', 'The application user lacks the rights to act for other users', 'Add the CUCM application user to the group "Standard EM Authentication Proxy Rights" (User Management > Application User).'],
  11: ['not-found', 'Device does not exist', 'Check the device name (for example SEP followed by 12 hex digits).'],
  12: ['not-found', 'Device profile not found or not associated with the user', "Pick one of the user's device profiles, or associate the profile with the user in CUCM."],
  18: ['conflict', 'The device already has a user logged in', 'Log the current user out first, or use force to replace them.'],
  19: ['already-done', 'No user is logged in on that device', 'Nothing to do: the device is already logged out.'],
  20: ['cucm-side', 'Could not look up whether Extension Mobility is enabled on the device', CHECK_CUCM],
  21: ['cucm-side', 'Could not look up the login status of the device', CHECK_CUCM],
  22: ['cucm-side', 'Extension Mobility is not enabled on the device', 'Enable Extension Mobility on the phone in CUCM Administration (Device > Phone).'],
  23: ['not-found', 'User does not exist', 'Check the user ID; CUCM compares it case-insensitively.'],
  25: ['conflict', 'The user is logged in on another device and multiple logins are not allowed', 'Log the user out of the other device first, or change the "Multiple Login Behavior" service parameter.'],
  26: ['busy', 'CUCM is busy: the maximum number of concurrent login/logout requests is in progress', 'Try again shortly; lower EMAPI_MAX_CONCURRENCY if this happens often.'],
  27: ['configuration', 'The application user must change its password', 'Change the application user password in CUCM and update CUCM_APP_PASSWORD.'],
  28: ['configuration', 'Request came from an IP address that CUCM does not trust', 'Add this server\'s IP address to the "Trusted List of IPs" service parameter, or turn off "Validate IP Address".'],
  29: ['cucm-side', 'The RIS Data Collector is down', 'Check the Cisco RIS Data Collector service on CUCM, then try again later.'],
  30: ['configuration', 'Request came through an HTTP proxy and proxies are not allowed', 'Connect to CUCM without a proxy, or set the "Allow Proxy" service parameter to True.']
}

function lookup (code: number): Entry | undefined {
  const entry = entries[code]
  if (entry !== undefined) return entry
  // 34 falls in the range but appears in no source (PROTOCOL.md §4): undocumented, CUCM's words kept.
  if (code >= 31 && code <= 47 && code !== 34) return ['cucm-side', `Extension Mobility Cross Cluster error ${code}`, EMCC]
  return undefined
}

/** Everything EM Console knows about an EMAPI error code; undocumented codes still get an entry. */
export function describeEmapiCode (code: number): EmapiCodeInfo {
  const entry = lookup(code)
  if (entry === undefined) return { code, message: `Undocumented EMAPI error ${code}`, category: 'cucm-side', action: UNTOLD_CAUSE, telling: false }
  const [category, message, action] = entry
  return { code, message, category, action, telling: code !== 0 }
}

/** Every documented code 0-47, for listings and tests. */
export const EMAPI_CODES: readonly EmapiCodeInfo[] = Array.from({ length: 48 }, (_, code) => describeEmapiCode(code))
