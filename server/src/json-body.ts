import type { FastifyInstance } from 'fastify'
import { BadRequestError } from './services/errors.js'

/**
 * The key of a JSON text that Fastify's parser (secure-json-parse) refuses as prototype
 * poisoning: "__proto__", or "constructor" holding "prototype". Undefined when it holds neither,
 * or is not JSON.
 */
function poisoningKey (text: string): string | undefined {
  let key: string | undefined
  try {
    JSON.parse(text, (name, value: unknown) => {
      if (name === '__proto__' || (name === 'constructor' && typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype'))) key ??= name
      return value
    })
  } catch {
    return undefined
  }
  return key
}

/**
 * JSON bodies are parsed by Fastify's own parser, which refuses a prototype-poisoning key in the
 * words of broken JSON ("Body is not valid JSON"): such a body is valid JSON, and is told so, naming
 * the key. It is looked for only in a body already refused: the bodies the API takes cost no more.
 */
export function parseJsonBodies (fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error')
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parse(request, body as string, (error, value) => {
      const key = error === null ? undefined : poisoningKey(body as string)
      if (key === undefined) {
        done(error, value)
        return
      }
      const what = key === '__proto__' ? 'the key "__proto__"' : 'a key "constructor" holding "prototype"'
      done(new BadRequestError(key, `The body holds ${what}, which is not accepted: valid JSON, but such a key could change the server's own objects (prototype poisoning). Remove it.`), undefined)
    })
  })
}
