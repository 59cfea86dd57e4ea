import { createPrivateKey, X509Certificate } from 'node:crypto'

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g
/** The start of any private key, whole or not: a key cut short or with another END line is still one. */
const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/

const KEY_GIVEN = 'this holds a private key. Give only the certificate (-----BEGIN CERTIFICATE-----); the key stays on CUCM.'

/**
 * Whether a certificate block that cannot be read holds a private key instead: a binary (DER) key
 * file chosen by mistake, which the dashboard writes out as a certificate block as it does any
 * binary file (an encrypted key says so by asking for its passphrase).
 */
function derPrivateKey (block: string): boolean {
  const der = Buffer.from(block.replace(/-----[A-Z ]+-----/g, ''), 'base64')
  return (['pkcs8', 'pkcs1', 'sec1'] as const).some((type) => {
    try {
      createPrivateKey({ key: der, format: 'der', type })
      return true
    } catch (error) {
      return (error as { code?: unknown }).code === 'ERR_MISSING_PASSPHRASE'
    }
  })
}

/**
 * What is wrong with a CA certificate's PEM text (a cluster's CA field, CUCM_CA_FILE), or
 * undefined: it must hold at least one readable certificate and no private key (pasted by
 * mistake, it would be stored).
 */
export function caPemProblem (pem: string): string | undefined {
  if (PRIVATE_KEY.test(pem)) return KEY_GIVEN
  const certificates = [...pem.matchAll(PEM_BLOCK)].filter((b) => b[1] === 'CERTIFICATE')
  if (certificates.length === 0) return 'not a PEM certificate. Give the text that starts with -----BEGIN CERTIFICATE----- (CUCM OS Administration > Security > Certificate Management > download the tomcat or tomcat-trust certificate as .pem).'
  for (const [text] of certificates) {
    try {
      // eslint-disable-next-line no-new
      new X509Certificate(text)
    } catch {
      return derPrivateKey(text) ? KEY_GIVEN : 'a certificate block cannot be read (the text between BEGIN and END is damaged or incomplete).'
    }
  }
  return undefined
}

/** A date as its UTC day, as certificates' dates are said. */
export const day = (date: Date): string => date.toISOString().slice(0, 10)

/** The certificates of a PEM text that can be read (the CA trusted for CUCM, as given). */
export function certificatesOf (pem: string): X509Certificate[] {
  return [...pem.matchAll(PEM_BLOCK)].filter((b) => b[1] === 'CERTIFICATE').flatMap(([block]) => {
    try {
      return [new X509Certificate(block)]
    } catch {
      return []
    }
  })
}

/** A certificate as an admin finds it in CUCM's Certificate Management: its CN, else its subject's first line. */
export function certificateName (certificate: X509Certificate): string {
  return /^CN=.*$/m.exec(certificate.subject)?.[0] ?? certificate.subject.split('\n')[0] ?? certificate.subject
}

/**
 * What is wrong with the dates of a CA certificate given for a cluster, or undefined: when no
 * certificate in it is valid now, every connection to CUCM would be refused for it (a renewal
 * beside the expired one, as CUCM's tomcat-trust keeps both for a while, is fine).
 */
export function caPemDatesProblem (pem: string, now = new Date()): string | undefined {
  const certificates = certificatesOf(pem)
  if (certificates.some((c) => new Date(c.validFrom) <= now && now <= new Date(c.validTo))) return undefined
  const said = certificates.map((c) => new Date(c.validTo) < now
    ? `${certificateName(c)} expired on ${day(new Date(c.validTo))}`
    : `${certificateName(c)} is valid only from ${day(new Date(c.validFrom))} (this server's clock says ${day(now)})`)
  return `${said.join('; ')}: every connection to CUCM would be refused. Give the current certificate (CUCM OS Administration > Security > Certificate Management > tomcat or tomcat-trust, as .pem).`
}
