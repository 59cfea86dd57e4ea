/**
 * The floor of P5 (bench:startup): a minimal Fastify app that only serves web/dist with
 * @fastify/static, on 127.0.0.1:PORT. Plain JavaScript, run by plain node like the built server,
 * so the ratio measures what EM Console loads and does at start beyond serving its pages.
 */
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import Fastify from 'fastify'

const app = Fastify()
await app.register(fastifyStatic, { root: fileURLToPath(new URL('../web/dist', import.meta.url)) })
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) })
console.log('floor listening')
process.once('SIGTERM', () => { app.close().finally(() => process.exit(0)) })
