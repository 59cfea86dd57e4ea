import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { defaultClientConditions, defineConfig, type Plugin } from 'vite'
import react from '@vitejs/plugin-react'

/** Text files worth compressing: smaller ones gain less than their headers cost. */
const COMPRESSIBLE = /\.(?:js|css|html|svg|json|txt)$/
const COMPRESS_FROM_BYTES = 1024

/**
 * Writes each text file of the build beside itself compressed, `.br` and `.gz`, once: the server
 * sends whichever the browser accepts (@fastify/static `preCompressed`), so the dashboard crosses
 * a VPN at a third of its size and no request pays for compressing it.
 */
function precompress (): Plugin {
  let outDir = 'dist'
  return {
    name: 'em-console-precompress',
    apply: 'build',
    configResolved (config) {
      outDir = resolve(config.root, config.build.outDir)
    },
    closeBundle () {
      for (const entry of readdirSync(outDir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !COMPRESSIBLE.test(entry.name)) continue
        const file = join(entry.parentPath, entry.name)
        const content = readFileSync(file)
        if (content.length < COMPRESS_FROM_BYTES) continue
        writeFileSync(`${file}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } }))
        writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }))
      }
    }
  }
}

// The web app imports only types from @em-console/shared; the source condition lets Vite and tsc
// read shared/src without building it first (STACK.md trap 4).
export default defineConfig({
  plugins: [react(), precompress()],
  resolve: {
    conditions: ['@em-console/source', ...defaultClientConditions]
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' }
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Every browser of today preloads modules itself (<link rel=modulepreload>: Chrome 66, Firefox
    // 115, Safari 17); in an older one the screens still load, only without the head start. The
    // polyfill cost the first page's JavaScript 0.22 KB gzip (P4: at most 100 KB).
    modulePreload: { polyfill: false }
  }
})
