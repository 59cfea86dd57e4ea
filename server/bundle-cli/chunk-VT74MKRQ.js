import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)

// dist/clusters/secrets.js
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
var SecretError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "SecretError";
  }
};
var VERSION = "v1";
var IV_BYTES = 12;
var TAG_BYTES = 16;
var SECRET_KEY_MIN_LENGTH = 32;
function deriveKey(text) {
  return Buffer.from(hkdfSync("sha256", Buffer.from(text.trim(), "utf8"), "em-console", "cluster secrets v1", 32));
}
function createSecretBox(keyText) {
  const key = keyText === void 0 ? void 0 : deriveKey(keyText);
  const need = () => {
    if (key === void 0)
      throw new SecretError("No secret key: start the server once (it creates SECRET_KEY_FILE), or set SECRET_KEY.");
    return key;
  };
  return {
    hasKey: key !== void 0,
    seal(plain, context2) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", need(), iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context2, "utf8"));
      const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
    },
    open(sealed, context2) {
      const [version, iv, tag, data] = sealed.split(".");
      if (version !== VERSION || iv === void 0 || tag === void 0 || data === void 0)
        throw new SecretError("A stored secret is not in a format this version reads.");
      try {
        const decipher = createDecipheriv("aes-256-gcm", need(), Buffer.from(iv, "base64url"), { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(context2, "utf8"));
        decipher.setAuthTag(Buffer.from(tag, "base64url"));
        return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
      } catch (error) {
        if (error instanceof SecretError)
          throw error;
        throw new SecretError("A stored password cannot be decrypted with this secret key: restore the key file that was backed up with the database (or the SECRET_KEY in use then), or enter the passwords again.");
      }
    }
  };
}
function loadSecretKey(options) {
  if (options.key !== void 0)
    return options.key;
  const { file } = options;
  if (file === void 0)
    return options.create ? randomBytes(32).toString("base64url") : void 0;
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (error.code !== "ENOENT")
      throw new SecretError(`Cannot read SECRET_KEY_FILE ${file}: ${error.message}`);
  }
  if (text === void 0) {
    if (!options.create)
      return void 0;
    const created = randomBytes(32).toString("base64url");
    try {
      writeFileSync(file, created + "\n", { mode: 384, flag: "wx" });
      chmodSync(file, 384);
      options.log.warn({ file }, `Created the secret key file ${file}: it encrypts the cluster passwords stored in the database. Back it up with the database; without it those passwords must be entered again.`);
      return created;
    } catch (error) {
      if (error.code !== "EEXIST")
        throw new SecretError(`Cannot create SECRET_KEY_FILE ${file}: ${error.message}`);
      text = readFileSync(file, "utf8");
    }
  }
  if (text.trim().length < SECRET_KEY_MIN_LENGTH)
    throw new SecretError(`SECRET_KEY_FILE ${file} holds fewer than ${SECRET_KEY_MIN_LENGTH} characters: it is not a key EM Console made.`);
  if (process.platform !== "win32" && (statSync(file).mode & 63) !== 0) {
    options.log.warn({ file }, `The secret key file ${file} can be read by other users: run chmod 600 on it.`);
  }
  return text;
}

// dist/clusters/stored-clusters.js
import { dirname, join } from "node:path";
function secretKeyFile(config) {
  if (config.SECRET_KEY_FILE !== void 0)
    return config.SECRET_KEY_FILE;
  return config.DATABASE_PATH === ":memory:" ? void 0 : join(dirname(config.DATABASE_PATH), "secret.key");
}
function context(id, field) {
  return `cluster:${id.toLowerCase()}:${field}`;
}
function definitionOf(row, secrets) {
  let problem;
  const open = (sealed, field) => {
    try {
      return secrets.open(sealed, context(row.id, field));
    } catch (error) {
      if (!(error instanceof SecretError))
        throw error;
      problem ??= error.message;
      return "";
    }
  };
  const settings = {
    id: row.id,
    name: row.name,
    host: row.host,
    port: row.port,
    appUser: row.appUser,
    appPassword: open(row.appPasswordSealed, "appPassword"),
    caPem: row.caPem ?? void 0,
    tlsInsecure: row.tlsInsecure,
    timeoutMs: row.timeoutMs,
    maxConcurrency: row.maxConcurrency,
    timezone: row.timezone ?? void 0,
    enabled: row.enabled,
    axl: row.axlUser === null ? void 0 : { host: row.axlHost ?? void 0, port: row.axlPort ?? void 0, user: row.axlUser, password: row.axlPasswordSealed === null ? "" : open(row.axlPasswordSealed, "axlPassword"), version: row.axlVersion ?? void 0 }
  };
  return { source: "database", settings, createdAt: row.createdAt, updatedAt: row.updatedAt, ...problem === void 0 ? {} : { problem } };
}
function fieldsOf(settings, secrets, kept = {}) {
  return {
    id: settings.id,
    name: settings.name,
    host: settings.host,
    port: settings.port,
    appUser: settings.appUser,
    appPasswordSealed: kept.appPasswordSealed ?? secrets.seal(settings.appPassword, context(settings.id, "appPassword")),
    caPem: settings.caPem ?? null,
    tlsInsecure: settings.tlsInsecure,
    timeoutMs: settings.timeoutMs,
    maxConcurrency: settings.maxConcurrency,
    timezone: settings.timezone ?? null,
    enabled: settings.enabled,
    axlHost: settings.axl?.host ?? null,
    axlPort: settings.axl?.port ?? null,
    axlUser: settings.axl?.user ?? null,
    axlPasswordSealed: settings.axl === void 0 ? null : kept.axlPasswordSealed ?? secrets.seal(settings.axl.password, context(settings.id, "axlPassword")),
    axlVersion: settings.axl?.version ?? null
  };
}

export {
  createSecretBox,
  loadSecretKey,
  secretKeyFile,
  definitionOf,
  fieldsOf
};
