const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;'
}

/** Escapes the five XML special characters so any value can sit inside an element. */
export function escapeXml (value: string): string {
  return value.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c)
}

/**
 * Encodes a user ID the way CUCM's Java service does in its answers (java.net.URLEncoder:
 * letters, digits and `.-*_` stay, space becomes `+`, the rest is %XX of the UTF-8 bytes).
 * The simulator uses it; PROTOCOL.md §3 "User-ID encoding".
 */
export function encodeUserIdLikeJava (userId: string): string {
  return encodeURIComponent(userId)
    .replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+')
}

/**
 * Decodes a user ID from an EMAPI answer with form rules (`+` is a space, then %XX as UTF-8).
 * The encoder is undocumented, so text that is not valid percent-encoding is kept as it came.
 */
export function decodeUserId (raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '))
  } catch {
    return raw
  }
}

/** Replaces the password in an EMAPI document, for audit records and logs. */
export function maskPassword (xml: string): string {
  return xml.replace(/<appCertificate>[^<]*<\/appCertificate>/g, '<appCertificate>********</appCertificate>')
}
