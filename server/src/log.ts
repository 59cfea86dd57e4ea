/**
 * What services, the store and background jobs log through: the server passes its pino logger
 * (or a child of it), the CLI one that writes to stderr, tests one they read.
 */
export interface Log {
  info: (context: object, message: string) => void
  warn: (context: object, message: string) => void
  error: (context: object, message: string) => void
}

export const silentLog: Log = { info () {}, warn () {}, error () {} }
