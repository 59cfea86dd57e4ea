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
    emptyOutDir: true
  }
})
