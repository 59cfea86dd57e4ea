import { buildLogout, parseActionResponse } from '@em-console/shared/emapi'
import type { EmapiCall, EmapiContext } from '../context.js'

export async function logout (ctx: EmapiContext, deviceName: string): Promise<EmapiCall<void>> {
  return await ctx.call(buildLogout(ctx.credentials, deviceName), parseActionResponse)
}
