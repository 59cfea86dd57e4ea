import { buildUserDevicesQuery, parseUserDevicesResponse, type UserDevices } from '@em-console/shared/emapi'
import type { EmapiCall, EmapiContext } from '../context.js'

/** Which devices these users are logged in to. */
export async function userDevicesQuery (ctx: EmapiContext, userIds: readonly string[]): Promise<EmapiCall<UserDevices[]>> {
  return await ctx.call(buildUserDevicesQuery(ctx.credentials, userIds), (body) => parseUserDevicesResponse(body, userIds))
}
