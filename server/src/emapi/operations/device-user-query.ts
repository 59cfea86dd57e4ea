import { buildDeviceUserQuery, parseDeviceUserResponse, type DeviceUserStatus } from '@em-console/shared/emapi'
import type { EmapiCall, EmapiContext } from '../context.js'

/** Who is logged in on these devices (one EMAPI query; callers chunk long lists); `stop` ends it (transport.ts `exchange`). */
export async function deviceUserQuery (ctx: EmapiContext, deviceNames: readonly string[], stop?: AbortSignal): Promise<EmapiCall<DeviceUserStatus[]>> {
  return await ctx.call(buildDeviceUserQuery(ctx.credentials, deviceNames), (body) => parseDeviceUserResponse(body, deviceNames), stop)
}
