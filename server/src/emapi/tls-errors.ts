import { isIP } from 'node:net'
import type { PeerCertificate } from 'node:tls'
import { ADD_TO_CA_FILE, EmapiError } from '@em-console/shared/emapi'
import { certificateName, certificatesOf, day } from '../clusters/ca-pem.js'

/**
 * A transport failure whose message says what is wrong and what to do, for the places that show
 * only a message (the audit trail, the log, the CLI); an answer that says what to do beside it
 * (its action) says only the problem (emapiProblem), so the fix is not read twice.
 */
export class AdvisedEmapiError extends EmapiError {
  /** What is wrong, with Node's code. */
  readonly problem: string
  /** What the admin should do. */
  readonly action: string

  constructor (code: EmapiError['code'], problem: string, action: string, cause: Error) {
    super(code, `${problem} ${action}`, { cause })
    this.problem = problem
    this.action = action
  }
}

/**
 * A TLS failure with what to do about that one in particular: an expired certificate is not
 * fixed by giving a CA, nor a plain-HTTP port by a certificate.
 */
export class TlsError extends AdvisedEmapiError {
  constructor (problem: string, action: string, cause: Error) {
    super('EMAPI_TLS', problem, action, cause)
  }
}

const CERT_MANAGEMENT = 'CUCM OS Administration > Security > Certificate Management'
const TRUST_THE_CA = `Export the CA that signed CUCM's Tomcat certificate from ${CERT_MANAGEMENT} (tomcat-trust) and ${ADD_TO_CA_FILE}. When an intermediate CA signed it, give the intermediate too (the whole chain in one PEM): CUCM does not always send it.`

const TRUST_THE_CURRENT_CA = `Export the current CA that signed CUCM's Tomcat certificate from ${CERT_MANAGEMENT} (tomcat-trust) and ${ADD_TO_CA_FILE}; the expired CA certificate can then be removed.`

/** Node's TLS verification codes, each with what it means for a CUCM admin and what to do (STACK.md trap 10). */
const TLS_PROBLEMS: Record<string, { problem: string, action: string }> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: { problem: 'CUCM presented a self-signed certificate that this server does not trust.', action: `Export the Tomcat certificate from ${CERT_MANAGEMENT} (tomcat, Download .PEM File) and ${ADD_TO_CA_FILE}.` },
  SELF_SIGNED_CERT_IN_CHAIN: { problem: 'CUCM\'s certificate chain ends in a CA that this server does not trust.', action: TRUST_THE_CA },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: { problem: 'CUCM\'s certificate is signed by a CA that this server does not trust.', action: TRUST_THE_CA },
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: { problem: 'CUCM\'s certificate is signed by a CA that this server does not trust.', action: TRUST_THE_CA },
  UNABLE_TO_GET_ISSUER_CERT: { problem: 'CUCM\'s certificate is signed by a CA that this server does not trust.', action: TRUST_THE_CA },
  CERT_HAS_EXPIRED: { problem: 'CUCM\'s certificate has expired.', action: `Renew the Tomcat certificate on CUCM (${CERT_MANAGEMENT}: Regenerate, or a new CA-signed one); if EM Console trusts that certificate itself rather than its CA, give it the new one. If the dates look right, check this server's clock.` },
  CERT_NOT_YET_VALID: { problem: 'CUCM\'s certificate is not valid yet.', action: 'Check the clocks of CUCM and of this server (NTP).' },
  ERR_TLS_CERT_ALTNAME_INVALID: { problem: 'CUCM\'s certificate does not name the host EM Console connects to.', action: 'Set CUCM_HOST to a name the certificate lists (usually the FQDN), or regenerate the certificate.' }
}

/**
 * The other codes Node gives a certificate it refuses (OpenSSL's verification errors, by Node's
 * names; UNSPECIFIED for those it does not name, such as a key too small): each is a refused
 * certificate too, not a connection CUCM closed, though none has a fix of its own.
 */
const OTHER_CERTIFICATE_CODES = new Set([
  'UNABLE_TO_GET_CRL', 'UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'UNABLE_TO_DECRYPT_CRL_SIGNATURE', 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE', 'CRL_SIGNATURE_FAILURE', 'CRL_NOT_YET_VALID', 'CRL_HAS_EXPIRED', 'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD', 'ERROR_IN_CRL_LAST_UPDATE_FIELD', 'ERROR_IN_CRL_NEXT_UPDATE_FIELD', 'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED', 'INVALID_CA', 'PATH_LENGTH_EXCEEDED', 'INVALID_PURPOSE', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'HOSTNAME_MISMATCH', 'UNSPECIFIED'
])
const CHECK_THE_CERTIFICATE = `Check CUCM's Tomcat certificate in ${CERT_MANAGEMENT} for the reason given: regenerate it, or have a CA sign a new one for a TLS server; if EM Console trusts that certificate itself rather than its CA, give it the new one.`

/**
 * The names a certificate lists, as "DNS:cucm.example.com, IP Address:10.0.0.1" (Node's words), and
 * the host asked. A certificate without subject alternative names is matched by its common name,
 * and only for a host name, never an IP address (Node's checkServerIdentity): said so, or the admin
 * reads no name at all.
 */
function namesOf (error: Error): string | undefined {
  const { cert, host } = error as { cert?: PeerCertificate, host?: unknown }
  const asked = typeof host === 'string' && host !== '' ? `, not ${host}` : ''
  if (cert?.subjectaltname !== undefined && cert.subjectaltname !== '') return `it lists ${cert.subjectaltname}${asked}`
  const commonName: unknown = cert?.subject?.CN
  if (typeof commonName === 'string' && commonName !== '') {
    const byAddress = typeof host === 'string' && isIP(host) !== 0 ? ': an IP address matches only a subject alternative name' : ''
    return `it lists no subject alternative names, only its common name ${commonName}${asked}${byAddress}`
  }
  return asked === '' ? undefined : `it lists no name${asked}`
}

/** Finds a TLS verification code on an undici error or its causes. */
export function tlsProblem (error: unknown): TlsError | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code: unknown = (e as NodeJS.ErrnoException).code
    if (typeof code !== 'string') continue
    const known = TLS_PROBLEMS[code]
    if (known !== undefined) {
      const names = code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? namesOf(e) : undefined
      const problem = names === undefined ? known.problem : `${known.problem.slice(0, -1)} (${names}).`
      return new TlsError(`TLS verification failed (${code}): ${problem}`, known.action, e)
    }
    if (OTHER_CERTIFICATE_CODES.has(code)) {
      const reason = e.message.replace(/\.$/, '')
      return new TlsError(`TLS verification failed (${code}): CUCM's certificate was refused: ${reason}.`, CHECK_THE_CERTIFICATE, e)
    }
    if (code.startsWith('ERR_SSL_')) {
      return new TlsError(`TLS handshake with CUCM failed (${code}): what answers on that port does not speak HTTPS (plain HTTP, or another service).`, 'Check that CUCM_PORT is CUCM\'s HTTPS port (usually 8443).', e)
    }
  }
  return undefined
}

/**
 * A certificate refused for its dates, when the certificate trusted for CUCM (`trusted`: the
 * cluster's CA certificate, or CUCM_CA_FILE's text) is out of its dates: named, with its date. "CUCM's
 * certificate has expired. Renew the Tomcat certificate" sent the admin to renew a valid
 * certificate when the CA trusted for it was the one expired. Read from what is trusted, never
 * from another connection to CUCM (only one without verification could read what CUCM sends):
 * CUCM's own dates stay unsaid.
 */
export function withTrustedCaDates (tls: TlsError, trusted: string | undefined): TlsError {
  const code = (tls.cause as NodeJS.ErrnoException | undefined)?.code
  if (trusted === undefined || (code !== 'CERT_HAS_EXPIRED' && code !== 'CERT_NOT_YET_VALID')) return tls
  const now = new Date()
  const out = certificatesOf(trusted).find((c) => code === 'CERT_HAS_EXPIRED' ? new Date(c.validTo) < now : new Date(c.validFrom) > now)
  if (out === undefined) return tls
  const name = certificateName(out)
  // Self-signed, it may be CUCM's own Tomcat certificate (a default install's) or a root CA: a
  // renewal first, the current CA beside it; a CA certificate signed by another is a CA's.
  const selfSigned = out.subject === out.issuer
  const kind = selfSigned ? ', self-signed' : out.ca ? ', a CA certificate' : ''
  const trustedOne = `the certificate EM Console trusts for CUCM (${name}${kind})`
  const renewOrCa = selfSigned ? `${tls.action} If it is a CA that signed CUCM's certificate instead: ${TRUST_THE_CURRENT_CA}` : out.ca ? TRUST_THE_CURRENT_CA : tls.action
  return code === 'CERT_HAS_EXPIRED'
    ? new TlsError(`TLS verification failed (CERT_HAS_EXPIRED): ${trustedOne} expired on ${day(new Date(out.validTo))}.`, renewOrCa, tls.cause as Error)
    : new TlsError(`TLS verification failed (CERT_NOT_YET_VALID): ${trustedOne} is valid from ${day(new Date(out.validFrom))}; this server's clock says ${day(now)}.`, tls.action, tls.cause as Error)
}
