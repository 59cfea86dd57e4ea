import { buildLogoutAll, parseActionResponse } from '@em-console/shared/emapi'
import type { EmapiCall, EmapiContext } from '../context.js'

export async function logoutAll (ctx: EmapiContext): Promise<EmapiCall<void>> {
  return await ctx.call(buildLogoutAll(ctx.credentials), parseActionResponse)
}
