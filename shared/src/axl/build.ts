/**
 * The AXL request side: versions and the SOAP 1.1 envelope of executeSQLQuery
 * (../../../../shared/axl/PROTOCOL.md §1, §2).
 */

/** The schema versions EM Console knows, newest first: one per release, no 13.x. */
export const AXL_VERSIONS = ['15.0', '14.0', '12.5', '12.0', '11.5', '11.0', '10.5'] as const
export const DEFAULT_AXL_VERSION = '14.0'

const VERSION = /^\d{1,2}\.\d$/

/** A version goes into a header and a namespace: only digits and one dot get there. */
export function isAxlVersion (version: string): boolean {
  return VERSION.test(version)
}

function checkVersion (version: string): string {
  if (!isAxlVersion(version)) throw new TypeError(`Invalid AXL version "${version}": expected a release like 14.0`)
  return version
}

/** http, not https, whatever some guide examples show (PROTOCOL.md §1). */
export function axlNamespace (version: string): string {
  return `http://www.cisco.com/AXL/API/${checkVersion(version)}`
}

/** The SOAPAction header value, quotes included; it must name the same version as the namespace. */
export function axlSoapAction (version: string, operation = 'executeSQLQuery'): string {
  return `"CUCM:DB ver=${checkVersion(version)} ${operation}"`
}

/** CDATA cannot hold `]]>`, so that sequence is split across two sections. */
function cdata (text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`
}

export function buildExecuteSqlQuery (sql: string, version: string): string {
  return '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="${axlNamespace(version)}">` +
    `<soapenv:Header/><soapenv:Body><ns:executeSQLQuery><sql>${cdata(sql)}</sql></ns:executeSQLQuery></soapenv:Body></soapenv:Envelope>`
}
