import { EmapiError, maskPassword, secretRedactor, type EmapiCredentials } from '@em-console/shared/emapi'
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
  call: <T>(xml: string, parse: (body: string) => T) => Promise<EmapiCall<T>>
}

export function createContext (credentials: EmapiCredentials, dispatcher: Dispatcher, origin: string, limits: ExchangeLimits): EmapiContext {
  // An answer that echoes the request (a proxy's error page, a broken CUCM) is read with the password masked.
  const redact = secretRedactor([credentials.appPassword])
  return {
    credentials,
    async call (xml, parse) {
      let answer
      try {
        answer = await exchange(dispatcher, origin, limits, xml)
      } catch (error) {
        if (error instanceof EmapiError) {
          error.message = redact(error.message)
          if (error.responseBody !== undefined) error.responseBody = redact(error.responseBody)
        }
        throw error
      }
      const body = redact(answer.body)
      try {
        return { value: parse(body), requestXml: maskPassword(xml), httpStatus: answer.httpStatus, responseBody: body }
      } catch (error) {
        if (error instanceof EmapiError) throw withExchange(error, xml, answer.httpStatus)
        throw error
      }
    }
  }
}
