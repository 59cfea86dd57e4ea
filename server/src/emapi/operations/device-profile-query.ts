import { buildDeviceProfileQuery, parseDeviceProfileResponse, type UserDeviceProfiles } from '@em-console/shared/emapi'
import type { EmapiCall, EmapiContext } from '../context.js'

/** The device profiles of these users. */
export async function deviceProfileQuery (ctx: EmapiContext, userIds: readonly string[]): Promise<EmapiCall<UserDeviceProfiles[]>> {
  return await ctx.call(buildDeviceProfileQuery(ctx.credentials, userIds), (body) => parseDeviceProfileResponse(body, userIds))
}
