import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)

// dist/paths.js
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
var SERVER_DIR = new URL("../", import.meta.url);
var PACKAGE_JSON = new URL("package.json", SERVER_DIR);
var MIGRATIONS_DIR = new URL("migrations/", SERVER_DIR);
var DEFAULT_WEB_ROOT = fileURLToPath(new URL("../web/dist/", SERVER_DIR));
var SWAGGER_UI_STATIC = join(dirname(createRequire(import.meta.url).resolve("@fastify/swagger-ui/package.json")), "static");

export {
  PACKAGE_JSON,
  MIGRATIONS_DIR
};
