import type { FastifyRequest } from 'fastify'
import type { Caller } from '../services/em-service.js'

/** The signed-in user is the actor; the dashboard marks its requests so clicks and scripts differ. */
export function callerOf (request: FastifyRequest): Caller {
  return {
    actor: request.account?.username ?? 'anonymous',
    trigger: request.headers['x-requested-by'] === 'em-console-web' ? 'ui' : 'api',
    clientIp: request.ip
  }
}
