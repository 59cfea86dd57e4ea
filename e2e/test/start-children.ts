import { startLabSimulator } from '../lab-simulator.ts'
import { startTestServer } from '../test-server.ts'

// What a Playwright worker starts (fixtures.ts), started here for tied-children.test.ts to kill
// this process outright: one line of JSON says where they listen, then this waits to be killed.
const [server, lab] = await Promise.all([startTestServer(), startLabSimulator()])
process.stdout.write(JSON.stringify({ urls: [server.baseUrl, ...server.simulatorUrls, lab.origin], pids: [server.pid, lab.pid] }) + '\n')
setInterval(() => {}, 60_000)
