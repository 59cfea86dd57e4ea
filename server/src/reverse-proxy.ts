import { BlockList, isIPv4, isIPv6 } from 'node:net'
import type { FastifyRequest } from 'fastify'
import type { Config } from './config.js'

/**
 * EM Console behind a reverse proxy (TRUST_PROXY). Only the proxies it names are believed about
 * the client (X-Forwarded-For) and the scheme (X-Forwarded-Proto): `true` or a hop count would
 * believe any sender, and any client could then write the address it likes into the audit trail.
 */

const EXAMPLE = 'such as 127.0.0.1,10.0.0.0/8'

/**
 * TRUST_PROXY's entries as Fastify's trustProxy takes them (@fastify/proxy-addr): addresses and
 * CIDR ranges, a netmask written as its prefix length (10.0.0.0/255.0.0.0: 10.0.0.0/8).
 */
export function proxyEntries (text: string): string[] {
  return entriesOf(text).map((entry) => {
    const read = readEntry(entry)
    // loadConfig refused TRUST_PROXY with a problem at start; what reaches here reads.
    return 'range' in read ? read.range : entry
  })
}

/** What is wrong with TRUST_PROXY, naming the first bad entry; undefined when there is nothing. */
export function trustProxyProblem (text: string): string | undefined {
  for (const entry of entriesOf(text)) {
    const read = readEntry(entry)
    if ('problem' in read) return read.problem
  }
  return undefined
}

function entriesOf (text: string): string[] {
  return text.split(',').map((entry) => entry.trim())
}

/** One entry: the range to give Fastify, or what is wrong with it in words naming it. */
function readEntry (entry: string): { range: string } | { problem: string } {
  if (entry === '') return { problem: `has an empty entry (two commas in a row, or one at an end): list the proxies' addresses, ${EXAMPLE}` }
  const shown = `"${entry.length > 60 ? `${entry.slice(0, 60)}…` : entry}"`
  if (/^(true|false|\d+)$/i.test(entry)) {
    return { problem: `${shown} names no proxy: give the addresses or CIDR ranges of the proxies to trust (${EXAMPLE}), not true or a number of hops, which would let any client write the address it likes into the audit trail. Leave TRUST_PROXY empty when no proxy stands in front` }
  }
  const [address = '', given, extra] = entry.split('/')
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined
  if (family === undefined || extra !== undefined) return { problem: `${shown} is not an IP address or a CIDR range (${EXAMPLE})` }
  if (given === undefined) return { range: entry }
  const bits = family === 'ipv4' ? 32 : 128
  let prefix = Number(given)
  if (isIPv4(given)) {
    if (family === 'ipv6') return { problem: `${shown}: a netmask goes with an IPv4 address; write an IPv6 range with its prefix length (such as fd00::/8)` }
    const fromMask = maskPrefix(given)
    if (fromMask === undefined) return { problem: `${shown}: the netmask ${given} is not contiguous (its 1 bits must all come first, as in 255.255.255.0): give the network as a CIDR range (such as 10.0.0.0/8)` }
    prefix = fromMask
  } else if (!/^\d{1,3}$/.test(given) || prefix > bits) {
    return { problem: `${shown}: the prefix after "/" must be a whole number from 1 to ${bits}${family === 'ipv4' ? ', or a netmask such as 255.255.255.0' : ''}` }
  }
  // ::ffff:0:0/96 is 0.0.0.0/0 in IPv6 form (every IPv4 client, IPv4-mapped); BlockList reads a
  // range that way, so a range holding IPv4's first and last address holds them all.
  const range = new BlockList()
  range.addSubnet(address, prefix, family)
  if (range.check('0.0.0.0', 'ipv4') && range.check('255.255.255.255', 'ipv4')) {
    return { problem: `${shown} trusts every ${prefix === 0 ? '' : 'IPv4 '}address, so any client could write the address it likes into the audit trail: list the proxies' own addresses (such as 127.0.0.1) or a network that holds only proxies (such as 10.1.2.0/24)` }
  }
  return { range: `${address}/${prefix}` }
}

/** The prefix length a netmask stands for (255.255.240.0: 20); undefined when its 1 bits do not all come first. */
function maskPrefix (mask: string): number | undefined {
  const bits = mask.split('.').map((octet) => Number(octet).toString(2).padStart(8, '0')).join('')
  return /^1*0*$/.test(bits) ? bits.replace(/0+$/, '').length : undefined
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
