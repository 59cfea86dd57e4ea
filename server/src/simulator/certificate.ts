import { generateKeyPair, randomBytes, sign } from 'node:crypto'
import { isIPv4, isIPv6 } from 'node:net'
import { promisify } from 'node:util'

/**
 * The simulator's certificate: self-signed, ECDSA P-256, its own trust anchor (the client passes
 * it as `ca`), valid for localhost, 127.0.0.1, ::1 and the host it listens on. Written out in DER
 * here with node:crypto alone: the certificate library it replaces took a large part of a demo
 * server's start (P5) to load.
 */
export async function createCertificate (host: string, now = new Date()): Promise<{ key: string, cert: string }> {
  const { publicKey, privateKey } = await promisify(generateKeyPair)('ec', { namedCurve: 'prime256v1' })
  const names = [dnsName('localhost'), ipAddress('127.0.0.1'), ipAddress('::1')]
  if (isIPv4(host) || isIPv6(host)) {
    if (!['127.0.0.1', '::1', '0.0.0.0', '::'].includes(host)) names.push(ipAddress(host))
  } else if (host !== 'localhost') {
    names.push(dnsName(host))
  }
  const name = sequence(set(sequence(oid(COMMON_NAME), utf8('EM Console CUCM simulator'))))
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))), // version 3
    integer(serialNumber()),
    sequence(oid(ECDSA_WITH_SHA256)),
    name,
    sequence(time(new Date(now.getTime() - 3_600_000)), time(new Date(now.getTime() + 365 * 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(
      extension(BASIC_CONSTRAINTS, true, sequence(boolean(true))),
      // digitalSignature (bit 0) and keyCertSign (bit 5): 1000 0100, the last two bits unused.
      extension(KEY_USAGE, true, tlv(0x03, Buffer.from([2, 0x84]))),
      extension(EXT_KEY_USAGE, false, sequence(oid(SERVER_AUTH))),
      extension(SUBJECT_ALT_NAME, false, sequence(...names))
    ))
  )
  const signature = sign('sha256', tbs, privateKey)
  const der = sequence(tbs, sequence(oid(ECDSA_WITH_SHA256)), tlv(0x03, Buffer.concat([Buffer.from([0]), signature])))
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  return {
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    cert: `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`
  }
}

const COMMON_NAME = '2.5.4.3'
const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2'
const BASIC_CONSTRAINTS = '2.5.29.19'
const KEY_USAGE = '2.5.29.15'
const EXT_KEY_USAGE = '2.5.29.37'
const SUBJECT_ALT_NAME = '2.5.29.17'
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1'

/** One DER element: tag, definite length, content. */
function tlv (tag: number, content: Buffer): Buffer {
  const n = content.length
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff]
  return Buffer.concat([Buffer.from([tag, ...length]), content])
}

const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items))
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items))
const explicit = (n: number, item: Buffer): Buffer => tlv(0xa0 + n, item)
const integer = (bytes: Buffer): Buffer => tlv(0x02, bytes)
const boolean = (value: boolean): Buffer => tlv(0x01, Buffer.from([value ? 0xff : 0]))
const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'))
const dnsName = (name: string): Buffer => tlv(0x82, Buffer.from(name, 'ascii'))
const ipAddress = (ip: string): Buffer => tlv(0x87, isIPv4(ip) ? Buffer.from(ip.split('.').map(Number)) : ipv6Bytes(ip))

function extension (id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), tlv(0x04, value))
}

function oid (dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number)
  const bytes = [40 * first + second]
  for (const arc of rest) {
    const base128 = [arc & 0x7f]
    for (let v = arc >> 7; v > 0; v >>= 7) base128.unshift((v & 0x7f) | 0x80)
    bytes.push(...base128)
  }
  return tlv(0x06, Buffer.from(bytes))
}

/** UTCTime (YYMMDDHHMMSSZ) until 2049, GeneralizedTime after, as RFC 5280 §4.1.2.5 asks. */
function time (date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii')) : tlv(0x18, Buffer.from(iso, 'ascii'))
}

/** 16 random bytes, positive and without a leading zero byte, as DER wants an INTEGER. */
function serialNumber (): Buffer {
  const bytes = randomBytes(16)
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40
  return bytes
}

function ipv6Bytes (ip: string): Buffer {
  // A trailing IPv4 part (::ffff:192.0.2.1) is two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip)
  if (v4 !== null) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number]
    ip = `${ip.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = '', tail] = ip.split('::')
  const groups = (part: string | undefined): string[] => part === undefined || part === '' ? [] : part.split(':')
  const left = groups(head)
  const right = groups(tail)
  const words = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
  const bytes = Buffer.alloc(16)
  words.forEach((word, i) => bytes.writeUInt16BE(Number.parseInt(word, 16), i * 2))
  return bytes
}
