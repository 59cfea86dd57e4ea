/** What the AXL client returns: the EM inventory of one cluster, as CUCM holds it. */

/** A phone (device.tkclass = 1), from `device`, `typemodel` and `devicepool` (PROTOCOL.md §3). */
export interface AxlPhone {
  name: string
  /** The model's name, e.g. "Cisco 8865"; null when CUCM's answer had none. */
  model: string | null
  description: string
  devicePool: string | null
  /** `allowhotelingflag`: Extension Mobility enabled on the phone. */
  emEnabled: boolean
}

/** A current EM login, from `extensionmobilitydynamic` joined with the phone, the user and the profile. */
export interface AxlSession {
  deviceName: string
  userId: string
  /** The device profile in use; null when CUCM's answer had none. */
  profile: string | null
  /** ISO 8601 (UTC) from `logintime` (epoch seconds); null when CUCM holds none. */
  loginTime: string | null
  /** `loginduration`: seconds until CUCM's own auto-logout; null for none (0 or NULL). */
  loginDurationSeconds: number | null
  devicePool: string | null
  model: string | null
  description: string
}

/** A whole listing, fetched in pages. */
export interface AxlListing<T> {
  rows: T[]
  /** What `SELECT COUNT(*)` said before the pages were fetched. */
  counted: number
  /** The AXL version the answers came with (after any fallback on HTTP 599). */
  version: string
  /** The page size in use at the end (smaller than asked when CUCM said "too large"). */
  pageSize: number
  /** How many executeSQLQuery requests the listing took, the count included. */
  requests: number
}
