import { defineConfig, devices } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from './chromium.ts'

export default defineConfig({
  testDir: './tests',
  // One server, one simulator, one database: the journeys share state, so they run one at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: process.env.CI !== undefined,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  reporter: [['list']],
  // Playwright empties outputDir before each run (STACK.md trap 7); the database lives elsewhere.
  outputDir: './test-results',
  globalSetup: './global-setup.ts',
  globalTeardown: './global-teardown.ts',
  use: {
    // baseURL is set by fixtures.ts from the server global-setup.ts started.
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    acceptDownloads: true
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1280, height: 860 },
        launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS }
      }
    }
  ]
})
