import { EmapiError, EmapiFailureError, isEmapiFailure, maskPassword, secretRedactor, type EmapiCredentials } from '@em-console/shared/emapi'
import type { Dispatcher } from 'undici'
import { exchange, withExchange, type ExchangeLimits } from './transport.js'

/** What one EMAPI call produced: the value, and what went over the wire (password masked). */
export interface EmapiCall<T> {
  value: T
  requestXml: string
  httpStatus: number
  responseBody: string
}

export interface EmapiContext {
  credentials: EmapiCredentials
  /** Sends a document and parses the answer; errors carry the masked request and the answer. */
  call: <T>(xml: string, parse: (body: string) => T, stop?: AbortSignal) => Promise<EmapiCall<T>>
}

export function createContext (credentials: EmapiCredentials, dispatcher: Dispatcher, origin: string, limits: ExchangeLimits): EmapiContext {
  // An answer that echoes the request (a proxy's error page, a broken CUCM) is kept and said with
  // the password masked; it is read as it came (masked, a user ID holding the password's letters would change).
  const redact = secretRedactor([credentials.appPassword])
  /** The error with what it quotes of CUCM's answer masked; a failure's text is the parsed one, references decoded. */
  const masked = (error: EmapiError): EmapiError => {
    if (isEmapiFailure(error)) return new EmapiFailureError(error.emapiCode, redact(error.cucmText), error.responseBody === undefined ? undefined : redact(error.responseBody))
    error.message = redact(error.message)
    if (error.responseBody !== undefined) error.responseBody = redact(error.responseBody)
    return error
  }
  return {
    credentials,
    async call (xml, parse, stop) {
      let answer
      try {
        answer = await exchange(dispatcher, origin, limits, xml, stop)
      } catch (error) {
        throw error instanceof EmapiError ? masked(error) : error
      }
      try {
        return { value: parse(answer.body), requestXml: maskPassword(xml), httpStatus: answer.httpStatus, responseBody: redact(answer.body) }
      } catch (error) {
        if (error instanceof EmapiError) throw withExchange(masked(error), xml, answer.httpStatus)
        throw error
      }
    }
  }
}
