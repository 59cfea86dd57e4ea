import { buildLogin, parseActionResponse, type LoginRequest } from '@em-console/shared/emapi'
import type { EmapiCall, EmapiContext } from '../context.js'

export async function login (ctx: EmapiContext, request: LoginRequest): Promise<EmapiCall<void>> {
  return await ctx.call(buildLogin(ctx.credentials, request), parseActionResponse)
}
