import type { FastifyRequest } from 'fastify'
import type { Caller } from '../services/em-service.js'

/** The dashboard marks its requests, so the audit trail can tell clicks from scripts. */
export function callerOf (request: FastifyRequest): Caller {
  return {
    actor: 'anonymous',
    trigger: request.headers['x-requested-by'] === 'em-console-web' ? 'ui' : 'api',
    clientIp: request.ip
  }
}
