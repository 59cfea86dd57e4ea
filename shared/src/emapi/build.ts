import { escapeXml } from './escape.js'
import type { EmapiCredentials, LoginRequest } from './types.js'

function element (name: string, value: string): string {
  return `<${name}>${escapeXml(value)}</${name}>`
}

function appInfo ({ appUser, appPassword }: EmapiCredentials): string {
  return `<appInfo>${element('appID', appUser)}${element('appCertificate', appPassword)}</appInfo>`
}

function request (credentials: EmapiCredentials, body: string): string {
  return `<request>${appInfo(credentials)}${body}</request>`
}

function query (credentials: EmapiCredentials, body: string): string {
  return `<query>${appInfo(credentials)}${body}</query>`
}

/** Element order follows the DTD: deviceName, userID, deviceProfile?, exclusiveDuration?. */
export function buildLogin (credentials: EmapiCredentials, login: LoginRequest): string {
  let body = element('deviceName', login.deviceName) + element('userID', login.userId)
  if (login.deviceProfile !== undefined && login.deviceProfile !== '') {
    body += element('deviceProfile', login.deviceProfile)
  }
  const duration = login.exclusiveDuration
  if (duration !== undefined) {
    const inner = duration === 'indefinite' ? '<indefinite/>' : element('time', String(Math.trunc(duration.minutes)))
    body += `<exclusiveDuration>${inner}</exclusiveDuration>`
  }
  return request(credentials, `<login>${body}</login>`)
}

export function buildLogout (credentials: EmapiCredentials, deviceName: string): string {
  return request(credentials, `<logout>${element('deviceName', deviceName)}</logout>`)
}

/** logoutAll must sit under <request>; under <query> the service rejects it (PROTOCOL.md §2). */
export function buildLogoutAll (credentials: EmapiCredentials): string {
  return request(credentials, '<logoutAll></logoutAll>')
}

export function buildDeviceUserQuery (credentials: EmapiCredentials, deviceNames: readonly string[]): string {
  return query(credentials, `<deviceUserQuery>${deviceNames.map((n) => element('deviceName', n)).join('')}</deviceUserQuery>`)
}

export function buildUserDevicesQuery (credentials: EmapiCredentials, userIds: readonly string[]): string {
  return query(credentials, `<userDevicesQuery>${userIds.map((u) => element('userID', u)).join('')}</userDevicesQuery>`)
}

export function buildDeviceProfileQuery (credentials: EmapiCredentials, userIds: readonly string[]): string {
  return query(credentials, `<deviceProfileQuery>${userIds.map((u) => element('userID', u)).join('')}</deviceProfileQuery>`)
}

/** The request body the servlet expects: one form field `xml` (PROTOCOL.md §1). */
export function toFormBody (xml: string): string {
  return new URLSearchParams({ xml }).toString()
}
