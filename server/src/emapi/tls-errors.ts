import { EmapiError } from '@em-console/shared/emapi'

const CA_HINT = 'Export the Tomcat certificate (or its CA) from CUCM OS Administration > Security > Certificate Management and point CUCM_CA_FILE at the PEM file.'

/** Node's TLS verification codes, each with what it means for a CUCM admin (STACK.md trap 10). */
const TLS_PROBLEMS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: `CUCM presented a self-signed certificate that this server does not trust. ${CA_HINT}`,
  SELF_SIGNED_CERT_IN_CHAIN: `CUCM's certificate chain ends in a CA that this server does not trust. ${CA_HINT}`,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: `CUCM's certificate is signed by a CA that this server does not trust. ${CA_HINT}`,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: `CUCM's certificate is signed by a CA that this server does not trust. ${CA_HINT}`,
  UNABLE_TO_GET_ISSUER_CERT: `CUCM's certificate is signed by a CA that this server does not trust. ${CA_HINT}`,
  CERT_HAS_EXPIRED: 'CUCM\'s certificate has expired. Regenerate the Tomcat certificate on CUCM (OS Administration > Security > Certificate Management).',
  CERT_NOT_YET_VALID: 'CUCM\'s certificate is not valid yet: check the clocks of CUCM and this server.',
  ERR_TLS_CERT_ALTNAME_INVALID: 'CUCM\'s certificate does not name the host EM Console connects to. Set CUCM_HOST to a name the certificate lists (usually the FQDN), or regenerate the certificate.'
}

/** Finds a TLS verification code on an undici error or its causes. */
export function tlsProblem (error: unknown): EmapiError | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code: unknown = (e as NodeJS.ErrnoException).code
    if (typeof code !== 'string') continue
    if (code in TLS_PROBLEMS) {
      return new EmapiError('EMAPI_TLS', `TLS verification failed (${code}): ${TLS_PROBLEMS[code]}`, { cause: e })
    }
    if (code.startsWith('ERR_SSL_')) {
      return new EmapiError('EMAPI_TLS', `TLS handshake with CUCM failed (${code}). Check that CUCM_PORT is the HTTPS port (8443).`, { cause: e })
    }
  }
  return undefined
}
