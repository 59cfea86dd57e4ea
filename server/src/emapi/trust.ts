import { createSecureContext, type SecureContext } from 'node:tls'

/**
 * The TLS trust of a CUCM client (EMAPI and AXL alike). Without a CA the system's roots are used.
 * With one, exactly that PEM is trusted (the Tomcat certificate, its CA, or a chain), as curl's
 * --cacert does: the certificate an admin gave is the one expected. A certificate that is not
 * self-signed (an intermediate, or the CUCM certificate itself) may be the anchor.
 * Built once per client: it used to copy the ~150 system roots into every cluster's context,
 * about 1 MB and 50 ms each (bench:clusters).
 */
export function trustContext (ca: string | undefined): SecureContext | undefined {
  return ca === undefined ? undefined : createSecureContext({ ca, allowPartialTrustChain: true })
}
