import neostandard from 'neostandard'

// neostandard with its TypeScript rules; typescript-eslint needs TypeScript < 6.1, so the repo
// pins typescript ~6.0 for both tsc and the linter (STACK.md), one compiler for everything.
export default [
  ...neostandard({
    ts: true,
    ignores: ['**/dist/**', 'server/bundle/**', '**/node_modules/**', 'test-results/**', 'playwright-report/**', 'e2e/.output/**', 'bench/results/**']
  })
]
