/**
 * Bundles the built server (dist/, emitted by tsc) into bundle/: the server and the CLI as they
 * run. A start loaded some 850 modules one file at a time (resolve, stat, read, compile each):
 * most of the start-up time (P5) and of a CLI command's (bench:cli). The server is one file with
 * its lazy imports as chunks; the CLI a small launcher (cli.js) and its program as one CommonJS
 * file (cli-program.cjs), which the launcher compiles with V8's code cache.
 * Kept outside: @fastify/cookie, which import()s the CommonJS `cookie`: bundled, such an import
 * keeps only `default` (esbuild's interop), and the named function it calls was missing (every
 * sign-in answered 500). The build fails should another import() of CommonJS code appear.
 * Packages that find files from their own folder are told where (paths.ts); better-sqlite3's
 * JavaScript is bundled and its compiled addon loaded by path (store/database.ts).
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { build } from 'esbuild'

// Chunk names carry a hash, and the CLI's code caches are of one build: a folder kept from the last build would gather stale ones.
rmSync('bundle', { recursive: true, force: true })

/**
 * undici loads node:http2 at the top of its client, for HTTP/2 connections EM Console never asks
 * for (its clients speak HTTP/1.1 to CUCM; allowH2 is never set): 5-8 ms of every CLI command's
 * start. Here that require fails, and undici's own fallback for a Node without http2 takes over.
 */
const withoutHttp2 = {
  name: 'without-http2',
  setup (build) {
    build.onResolve({ filter: /^node:http2$/ }, (args) => /undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/.test(args.importer) ? { path: 'node:http2', namespace: 'left-out' } : undefined)
    build.onLoad({ filter: /.*/, namespace: 'left-out' }, () => ({ contents: "throw new Error('HTTP/2 is left out of this bundle: EM Console speaks HTTP/1.1')", loader: 'js' }))
  }
}

/** What every build here shares: Node 20, packages inside, undici without HTTP/2. */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: ['@fastify/cookie'],
  legalComments: 'linked',
  logLevel: 'warning',
  plugins: [withoutHttp2]
}

await build({
  ...common,
  entryPoints: { server: 'dist/server.js' },
  outdir: 'bundle',
  splitting: true,
  format: 'esm',
  // Chunks sit beside the entries, one folder below the package, as dist/paths.js does.
  chunkNames: '[name]-[hash]',
  // CommonJS packages inside an ES module bundle still call require() and read __dirname.
  banner: {
    js: [
      "import { createRequire as __createRequire } from 'node:module'",
      "import { dirname as __pathDirname } from 'node:path'",
      "import { fileURLToPath as __fileURLToPath } from 'node:url'",
      'const require = __createRequire(import.meta.url)',
      'const __filename = __fileURLToPath(import.meta.url)',
      'const __dirname = __pathDirname(__filename)'
    ].join('\n')
  }
})

/**
 * The command line's program as one CommonJS file, which cli.js compiles with V8's code cache
 * (src/cli/code-cache.ts: Node 20 keeps none for ES modules). Its commands' imports are still
 * run only when asked for; import.meta.url is the file's own URL, as the modules expect.
 */
await build({
  ...common,
  entryPoints: { 'cli-program': 'dist/cli-program.js' },
  outdir: 'bundle',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  // import() becomes require(): a vm.Script run from a code cache has no loader for import().
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href" }
})

await build({ ...common, entryPoints: { cli: 'dist/cli.js' }, outdir: 'bundle', format: 'esm' })

const lostNames = readdirSync('bundle').filter((file) => file.endsWith('.js') && /^export default require_/m.test(readFileSync(`bundle/${file}`, 'utf8')))
if (lostNames.length > 0) {
  console.error(`bundle.mjs: ${lostNames.join(', ')}: CommonJS code reached by import(), whose named exports the bundle drops. Keep its importer external.`)
  process.exit(1)
}
