import { defaultClientConditions, defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// The web app imports only types from @em-console/shared; the source condition lets Vite and tsc
// read shared/src without building it first (STACK.md trap 4).
export default defineConfig({
  plugins: [react()],
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
