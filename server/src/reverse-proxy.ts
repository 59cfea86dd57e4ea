import { isIPv4, isIPv6 } from 'node:net'
import type { FastifyRequest } from 'fastify'
import type { Config } from './config.js'

/**
 * EM Console behind a reverse proxy (TRUST_PROXY). Only the proxies it names are believed about
 * the client (X-Forwarded-For) and the scheme (X-Forwarded-Proto): `true` or a hop count would
 * believe any sender, and any client could then write the address it likes into the audit trail.
 */

const EXAMPLE = 'such as 127.0.0.1,10.0.0.0/8'

/** TRUST_PROXY's entries: the proxies' addresses or CIDR ranges, as Fastify's trustProxy takes them (@fastify/proxy-addr). */
export function proxyEntries (text: string): string[] {
  return text.split(',').map((entry) => entry.trim())
}

/** What is wrong with TRUST_PROXY, naming the first bad entry; undefined when there is nothing. */
export function trustProxyProblem (text: string): string | undefined {
  for (const entry of proxyEntries(text)) {
    const problem = entryProblem(entry)
    if (problem !== undefined) return problem
  }
  return undefined
}

function entryProblem (entry: string): string | undefined {
  if (entry === '') return `has an empty entry (two commas in a row, or one at an end): list the proxies' addresses, ${EXAMPLE}`
  const shown = `"${entry.length > 60 ? `${entry.slice(0, 60)}…` : entry}"`
  if (/^(true|false|\d+)$/i.test(entry)) {
    return `${shown} names no proxy: give the addresses or CIDR ranges of the proxies to trust (${EXAMPLE}), not true or a number of hops, which would let any client write the address it likes into the audit trail. Leave TRUST_PROXY empty when no proxy stands in front`
  }
  const [address = '', prefix, extra] = entry.split('/')
  const bits = isIPv4(address) ? 32 : isIPv6(address) ? 128 : 0
  if (bits === 0 || extra !== undefined) return `${shown} is not an IP address or a CIDR range (${EXAMPLE})`
  if (prefix === undefined) return undefined
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits) return `${shown}: the prefix after "/" must be a whole number from 1 to ${bits}`
  if (Number(prefix) === 0) return `${shown} trusts every address, so any client could write the address it likes into the audit trail: give the proxies' own addresses or their network`
  return undefined
}

/**
 * Whether a request reached the dashboard over HTTPS (cookies get `Secure`, browsers get HSTS):
 * every request when the dashboard serves TLS itself (TLS_CERT_FILE), whatever a proxy says; behind
 * trusted proxies, a request whose proxy says `X-Forwarded-Proto: https` (Fastify reads that header
 * only on a connection from a TRUST_PROXY address, so a client connecting directly cannot claim
 * HTTPS); otherwise none. A boolean when it is the same for every request: without TRUST_PROXY the
 * request path asks nothing.
 */
export function httpsOf (config: Pick<Config, 'TLS_CERT_FILE' | 'TRUST_PROXY'>): boolean | ((request: FastifyRequest) => boolean) {
  if (config.TLS_CERT_FILE !== undefined) return true
  if (config.TRUST_PROXY === undefined) return false
  return (request) => request.protocol.toLowerCase() === 'https'
}
