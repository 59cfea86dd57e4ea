import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)

// dist/cli/output.js
var EXIT = {
  /** Done. */
  ok: 0,
  /** CUCM answered with an EMAPI error, another logout-all was running, or the user said no. */
  failed: 1,
  /** CUCM could not be reached or did not speak EMAPI: connection, TLS, timeout, HTTP status, bad XML. */
  transport: 2,
  /** EM Console's configuration or the command line is wrong: nothing was sent. */
  config: 3
};
var UsageError = class extends Error {
};
var processIo = {
  out: (line) => {
    process.stdout.write(line + "\n");
  },
  err: (line) => {
    process.stderr.write(line + "\n");
  }
};
function table(rows) {
  const widths = [];
  for (const row of rows)
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  return rows.map((row) => row.map((cell, i) => i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd());
}
function shortTime(iso) {
  return iso === null ? "-" : iso.replace("T", " ").replace(/\.\d+Z$/, "Z");
}

export {
  EXIT,
  UsageError,
  processIo,
  table,
  shortTime
};
