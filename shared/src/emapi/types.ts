/** The application user's credentials; they travel inside every EMAPI document (PROTOCOL.md §1). */
export interface EmapiCredentials {
  appUser: string
  appPassword: string
}

/** Auto-logout for a login: a number of minutes, or no auto-logout at all. */
export type ExclusiveDuration = { minutes: number } | 'indefinite'

export interface LoginRequest {
  deviceName: string
  userId: string
  deviceProfile?: string
  exclusiveDuration?: ExclusiveDuration
}

/** Who is on a device, from deviceUserQuery. `emcc` is null in the older two-child form. */
export interface DeviceUserStatus {
  deviceName: string
  exists: boolean
  currentUser: string | null
  lastUser: string | null
  emcc: boolean | null
}

/** Which devices a user is logged in to, from userDevicesQuery. */
export interface UserDevices {
  userId: string
  exists: boolean
  devices: string[]
}

export interface DeviceProfile {
  name: string
  isDefault: boolean
}

/** The device profiles of a user, from deviceProfileQuery. */
export interface UserDeviceProfiles {
  userId: string
  exists: boolean
  profiles: DeviceProfile[]
}
