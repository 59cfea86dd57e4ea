import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ClusterCheckSchema, ClusterListSchema, ClusterParamsSchema, ClusterSchema, CreateClusterBodySchema, ErrorBodySchema, UpdateClusterBodySchema } from '@em-console/shared/schemas'
import { Type } from 'typebox'
import type { ClusterService } from '../../clusters/cluster-service.js'
import { callerOf } from '../caller.js'

const ERRORS = { 400: ErrorBodySchema, 404: ErrorBodySchema, 409: ErrorBodySchema }

/** The clusters (issue #17): viewers read them, admins add, edit, delete and check them. */
const clusters: FastifyPluginAsyncTypebox<{ clusters: ClusterService }> = async (fastify, { clusters }) => {
  fastify.get('/api/clusters', {
    config: { role: 'viewer' },
    schema: { tags: ['clusters'], summary: 'Every cluster, its settings without secrets, and the health of the enabled ones', response: { 200: ClusterListSchema } }
  }, async () => ({ clusters: await clusters.list() }))

  fastify.get('/api/clusters/:id', {
    config: { role: 'viewer' },
    schema: { tags: ['clusters'], summary: 'One cluster', params: ClusterParamsSchema, response: { 200: ClusterSchema, 404: ErrorBodySchema } }
  }, async (request) => await clusters.get(request.params.id))

  fastify.post('/api/clusters', {
    config: { role: 'admin' },
    schema: { tags: ['clusters'], summary: 'Add a cluster; it is used at once. Passwords are write-only and stored encrypted.', body: CreateClusterBodySchema, response: { 201: ClusterSchema, ...ERRORS } }
  }, async (request, reply) => {
    const created = await clusters.create(callerOf(request), request.body)
    return await reply.code(201).header('location', `/api/clusters/${encodeURIComponent(created.id)}`).send(created)
  })

  fastify.patch('/api/clusters/:id', {
    config: { role: 'admin' },
    schema: { tags: ['clusters'], summary: 'Change a cluster (each field optional; a password left out is kept); it takes effect at once', params: ClusterParamsSchema, body: UpdateClusterBodySchema, response: { 200: ClusterSchema, ...ERRORS } }
  }, async (request) => await clusters.update(callerOf(request), request.params.id, request.body))

  fastify.delete('/api/clusters/:id', {
    config: { role: 'admin' },
    schema: { tags: ['clusters'], summary: 'Delete a cluster added here (409 for the environment\'s, or while a schedule names it: CLUSTER_IN_USE); its history stays', params: ClusterParamsSchema, response: { 204: Type.Null(), 404: ErrorBodySchema, 409: ErrorBodySchema } }
  }, async (request, reply) => {
    await clusters.delete(callerOf(request), request.params.id)
    return await reply.code(204).send(null)
  })

  // Registered before /:id/check so "check" is never read as an id here.
  fastify.post('/api/clusters/check', {
    config: { role: 'admin' },
    schema: { tags: ['clusters'], summary: 'Check the connection of a cluster not saved yet (same body as adding one); changes nothing', body: CreateClusterBodySchema, response: { 200: ClusterCheckSchema, 400: ErrorBodySchema } }
  }, async (request) => await clusters.checkNew(request.body))

  fastify.post('/api/clusters/:id/check', {
    // No body is no changes: the cluster as saved is checked.
    config: { role: 'admin', optionalBody: true },
    schema: {
      tags: ['clusters'],
      summary: 'The checks of `em-console check` on a cluster: reachable, TLS trusted, credentials, proxy rights (and AXL), each with what to do. A body checks those changes before saving them.',
      params: ClusterParamsSchema,
      body: UpdateClusterBodySchema,
      response: { 200: ClusterCheckSchema, ...ERRORS }
    }
  }, async (request) => await clusters.check(request.params.id, Object.keys(request.body ?? {}).length === 0 ? undefined : request.body))
}

export default clusters
