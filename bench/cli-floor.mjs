/**
 * The floor of bench:cli: only the old tool's job. One HTTPS POST of an EMAPI logoutAll document
 * (form field xml=..., PROTOCOL.md §1-2) with node's https module, trusting CUCM_CA_FILE (TLS
 * verified), then the status and body printed. Plain JavaScript, run by plain node like the
 * built CLI, so neither side carries a TypeScript loader. Same environment as the CLI:
 * CUCM_HOST, CUCM_PORT, CUCM_APP_USER, CUCM_APP_PASSWORD, CUCM_CA_FILE.
 */
import { readFileSync } from 'node:fs'
import { request } from 'node:https'

const env = (name) => process.env[name] ?? ''
// Every value is XML-escaped: passwords can contain any of these.
const escape = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const xml = `<request><appInfo><appID>${escape(env('CUCM_APP_USER'))}</appID><appCertificate>${escape(env('CUCM_APP_PASSWORD'))}</appCertificate></appInfo><logoutAll></logoutAll></request>`
const body = `xml=${encodeURIComponent(xml)}`

const req = request({
  host: env('CUCM_HOST'),
  port: Number(env('CUCM_PORT') || 8443),
  path: '/emservice/EMServiceServlet',
  method: 'POST',
  ca: readFileSync(env('CUCM_CA_FILE')),
  headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }
}, (res) => {
  let text = ''
  res.setEncoding('utf8')
  res.on('data', (chunk) => { text += chunk })
  res.on('end', () => {
    console.log(`HTTP ${res.statusCode}`)
    console.log(text.trim())
    process.exitCode = res.statusCode === 200 && text.includes('<success/>') ? 0 : 1
  })
})
req.on('error', (error) => {
  console.error(`logoutAll failed: ${error.code ?? ''} ${error.message}`)
  process.exitCode = 1
})
req.end(body)
