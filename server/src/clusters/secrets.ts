import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { ConfigError } from '../config.js'
import type { Log } from '../log.js'

/**
 * Encryption at rest of the secrets EM Console stores (cluster passwords): AES-256-GCM with a
 * random 96-bit IV per value, and the cluster and field as additional data, so a ciphertext copied
 * to another row or field does not decrypt. The key never reaches the database: it comes from
 * SECRET_KEY or from a file beside the database (SECRET_KEY_FILE), created at the first start.
 */
export interface SecretBox {
  /** `plain` as `v1.<iv>.<tag>.<ciphertext>` (base64url), bound to `context`. */
  seal: (plain: string, context: string) => string
  /** The plain text, or a SecretError when the key is not the one that sealed it (or no key). */
  open: (sealed: string, context: string) => string
  /** Whether a key is there at all (a CLI beside a server that never started has none yet). */
  readonly hasKey: boolean
}

export class SecretError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'SecretError'
  }
}

const VERSION = 'v1'
const IV_BYTES = 12
const TAG_BYTES = 16
/** Shorter text than this is no key (a 32-byte random key is 43 characters in base64url). */
const SECRET_KEY_MIN_LENGTH = 32

/**
 * The 256-bit key from its text. HKDF, so any long random text will do (a generated file holds 32
 * random bytes; an admin may set SECRET_KEY from a password manager), and it is a key for this use only.
 */
function deriveKey (text: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(text.trim(), 'utf8'), 'em-console', 'cluster secrets v1', 32))
}

export function createSecretBox (keyText: string | undefined): SecretBox {
  const key = keyText === undefined ? undefined : deriveKey(keyText)
  /** The key, for sealing a new secret or opening a stored one: without it, what to do differs. */
  const need = (to: 'seal' | 'open'): Buffer => {
    if (key !== undefined) return key
    // A key made now would be another key: it could never open what is stored.
    if (to === 'open') throw new SecretError('No secret key to decrypt the stored cluster passwords: put back the key file made with this database (SECRET_KEY_FILE, beside the database by default) or set SECRET_KEY to the key in use when they were saved; a new key cannot read them.')
    throw new SecretError('No secret key: start the server once (it creates SECRET_KEY_FILE), or set SECRET_KEY.')
  }
  return {
    hasKey: key !== undefined,
    seal (plain, context) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', need('seal'), iv, { authTagLength: TAG_BYTES })
      cipher.setAAD(Buffer.from(context, 'utf8'))
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.')
    },
    open (sealed, context) {
      const [version, iv, tag, data] = sealed.split('.')
      if (version !== VERSION || iv === undefined || tag === undefined || data === undefined) throw new SecretError('A stored secret is not in a format this version reads.')
      try {
        const decipher = createDecipheriv('aes-256-gcm', need('open'), Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES })
        decipher.setAAD(Buffer.from(context, 'utf8'))
        decipher.setAuthTag(Buffer.from(tag, 'base64url'))
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8')
      } catch (error) {
        if (error instanceof SecretError) throw error
        // GCM's authentication failed: another key sealed it (or the row was altered).
        throw new SecretError('A stored password cannot be decrypted with this secret key: restore the key file that was backed up with the database (or the SECRET_KEY in use then), or enter the passwords again.')
      }
    }
  }
}

export interface SecretKeyOptions {
  /** SECRET_KEY, when set: it wins over the file. */
  key?: string
  /** SECRET_KEY_FILE, or its default beside the database. */
  file: string | undefined
  /** The server creates the file at its first start; a CLI command only reads it. */
  create: boolean
  log: Log
}

const codeOf = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? String(error)

/**
 * The key's text: SECRET_KEY, else the file (created with mode 0600 when `create` and missing),
 * else undefined. A file others may read is used but named in a warning; one that cannot be read
 * or made is SECRET_KEY_FILE's configuration error.
 */
export function loadSecretKey (options: SecretKeyOptions): string | undefined {
  if (options.key !== undefined) return options.key
  const { file } = options
  if (file === undefined) return options.create ? randomBytes(32).toString('base64url') : undefined
  let text: string | undefined
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError('SECRET_KEY_FILE', `${file} cannot be read (${codeOf(error)})`)
  }
  if (text === undefined) {
    if (!options.create) return undefined
    const created = randomBytes(32).toString('base64url')
    try {
      // `wx`: never overwrite a key another process has just written; the loser reads that one.
      writeFileSync(file, created + '\n', { mode: 0o600, flag: 'wx' })
      chmodSync(file, 0o600)
      options.log.warn({ file }, `Created the secret key file ${file}: it encrypts the cluster passwords stored in the database. Back it up with the database; without it those passwords must be entered again.`)
      return created
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new ConfigError('SECRET_KEY_FILE', `${file} cannot be created (${codeOf(error)}): its folder must exist and be writable by this user`)
      text = readFileSync(file, 'utf8')
    }
  }
  if (text.trim().length < SECRET_KEY_MIN_LENGTH) throw new ConfigError('SECRET_KEY_FILE', `${file} holds fewer than ${SECRET_KEY_MIN_LENGTH} characters: it is not a key EM Console made`)
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    options.log.warn({ file }, `The secret key file ${file} can be read by other users: run chmod 600 on it.`)
  }
  return text
}
