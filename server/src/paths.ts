import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Where the server finds its files at run time. This module sits one folder below the server
 * package both as tsc emits it (server/dist/paths.js) and bundled (server/bundle/*.js, bundle.mjs),
 * so one relative URL serves both.
 */
const SERVER_DIR = new URL('../', import.meta.url)

export const PACKAGE_JSON = new URL('package.json', SERVER_DIR)
/** EM Console's folder: the repository, or the install (/opt/em-console), which holds .env-sample. */
export const APP_DIR = fileURLToPath(new URL('../', SERVER_DIR))
export const MIGRATIONS_DIR = new URL('migrations/', SERVER_DIR)
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../web/dist/', SERVER_DIR))
/** The Swagger UI's own files (the API docs page), in its package: looked up by the server only. */
export function swaggerUiStatic (): string {
  return join(dirname(createRequire(import.meta.url).resolve('@fastify/swagger-ui/package.json')), 'static')
}
