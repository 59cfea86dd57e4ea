import { defineConfig, devices } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from './chromium.ts'

export default defineConfig({
  testDir: './tests',
  // Each worker has its own server, simulators and database (fixtures.ts: server); within a worker
  // the journeys run one at a time, a file's in order. Two workers on two cores: many journeys
  // wait on the server's clocks (a re-check, an inventory refresh), not on the processor.
  workers: 2,
  fullyParallel: false,
  forbidOnly: process.env.CI !== undefined,
  retries: 0,
  // A journey of a worker shares the two cores with the other worker's: 30 s was too short for
  // the longer ones (a schedule's whole life) on a loaded machine.
  timeout: 60_000,
  expect: { timeout: 7_000 },
  reporter: [['list']],
  // Playwright empties outputDir before each run (STACK.md trap 7); the database lives elsewhere.
  outputDir: './test-results',
  globalSetup: './global-setup.ts',
  use: {
    // baseURL is set by fixtures.ts from the server global-setup.ts started.
    // A trace records a film of every journey (the screencast) and a DOM snapshot of every step:
    // a fifth of the suite's CPU and time for journeys that pass. E2E_TRACE=1 keeps one of each
    // journey that fails; a failure's screenshot and message are there without it.
    trace: process.env.E2E_TRACE === '1' ? 'retain-on-failure' : 'off',
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
