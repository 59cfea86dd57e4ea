import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AccountListSchema, AccountParamsSchema, AccountSchema, CreateAccountBodySchema, ErrorBodySchema, UpdateAccountBodySchema } from '@em-console/shared/schemas'
import type { AuthService } from '../../auth/auth-service.js'
import { callerOf } from '../caller.js'

const ERRORS = { 400: ErrorBodySchema, 404: ErrorBodySchema, 409: ErrorBodySchema }

const accounts: FastifyPluginAsyncTypebox<{ auth: AuthService }> = async (fastify, { auth }) => {
  fastify.get('/api/accounts', {
    config: { role: 'admin' },
    schema: { tags: ['accounts'], summary: 'Every dashboard account', response: { 200: AccountListSchema } }
  }, async () => ({ accounts: auth.listAccounts() }))

  fastify.post('/api/accounts', {
    config: { role: 'admin' },
    schema: { tags: ['accounts'], summary: 'Create an account', body: CreateAccountBodySchema, response: { 201: AccountSchema, ...ERRORS } }
  }, async (request, reply) => {
    const { username, password, role } = request.body
    return await reply.code(201).send(await auth.createAccount(callerOf(request), username, password, role))
  })

  fastify.patch('/api/accounts/:id', {
    config: { role: 'admin' },
    schema: { tags: ['accounts'], summary: 'Change the role, disable or enable, or set a new password (ends the account\'s sessions)', params: AccountParamsSchema, body: UpdateAccountBodySchema, response: { 200: AccountSchema, ...ERRORS } }
  }, async (request) => await auth.updateAccount(callerOf(request), request.params.id, request.body))
}

export default accounts
