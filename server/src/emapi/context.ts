import { EmapiError, maskPassword, type EmapiCredentials } from '@em-console/shared/emapi'
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
  return {
    credentials,
    async call (xml, parse) {
      const { httpStatus, body } = await exchange(dispatcher, origin, limits, xml)
      try {
        return { value: parse(body), requestXml: maskPassword(xml), httpStatus, responseBody: body }
      } catch (error) {
        if (error instanceof EmapiError) throw withExchange(error, xml, httpStatus)
        throw error
      }
    }
  }
}
