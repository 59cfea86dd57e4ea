import { readdirSync } from 'node:fs'
import neostandard from 'neostandard'

// A web feature does not import another (STYLE §16, bulletproof-react's import/no-restricted-paths,
// here with ESLint's own rule: eslint-plugin-import is not installed). What several features use
// lives in web/src/lib or web/src/components, or web/src/app composes them and passes data down.
const features = readdirSync(new URL('./web/src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)

const featureBoundaries = features.map((feature) => ({
  files: [`web/src/features/${feature}/**`],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [{
        regex: `^(\\.\\./)+(features/)?(${features.filter((other) => other !== feature).join('|')})(/|$)`,
        message: `features/${feature} imports another feature: features stay independent (STYLE §16). Move what several use to web/src/lib or web/src/components, or compose them in web/src/app.`
      }]
    }]
  }
}))

// neostandard with its TypeScript rules; typescript-eslint needs TypeScript < 6.1, so the repo
// pins typescript ~6.0 for both tsc and the linter (STACK.md), one compiler for everything.
export default [
  ...neostandard({
    ts: true,
    ignores: ['**/dist/**', 'server/bundle/**', '**/node_modules/**', 'test-results/**', 'playwright-report/**', 'e2e/.output/**', 'bench/results/**']
  }),
  ...featureBoundaries
]
