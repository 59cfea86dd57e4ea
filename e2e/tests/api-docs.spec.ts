import { CHROMIUM_ARGS, chromiumPath } from '../chromium.ts'
import { expect, test } from '../fixtures.ts'

// The docs opened by a name, as from another machine (not localhost, which browsers and Swagger UI
// treat apart): this Chromium resolves it to the test server.
const NAME = 'em-console.test'
test.use({ launchOptions: { executablePath: chromiumPath(), args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${NAME} 127.0.0.1`] } })

test('the API docs open over plain HTTP by a host name, and the page asks nothing of another site', async ({ page, server, consoleErrors }) => {
  // Swagger UI sets a style of its own inline, which the policy refuses; the page works without it.
  consoleErrors.allow(/Applying inline style violates the following Content Security Policy directive 'style-src 'self''/)
  // Over plain HTTP by a name, Chromium says it ignores Cross-Origin-Opener-Policy (sent to every page).
  consoleErrors.allow(/The Cross-Origin-Opener-Policy header has been ignored/)
  const origin = new URL(server.baseUrl).origin.replace('127.0.0.1', NAME)
  const elsewhere: string[] = []
  page.on('request', (request) => { if (new URL(request.url()).origin !== origin) elsewhere.push(request.url()) })
  await page.goto(`${origin}/api/docs/`)
  // Swagger UI reads and lays out the whole document first: on a busy 2-core machine (CI beside
  // other work) that took past the default 7 s, the page still saying "loading".
  await expect(page.getByRole('heading', { name: /EM Console API/ })).toBeVisible({ timeout: 30_000 })
  await expect(page.getByRole('button', { name: /\/api\/session\/info/ }).first()).toBeVisible()
  // Swagger UI's validator badge would send the document's address (this server's name) to swagger.io.
  expect(elsewhere).toEqual([])
})
