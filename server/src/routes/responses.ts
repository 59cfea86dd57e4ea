import { ErrorBodySchema } from '@em-console/shared/schemas'

/** The error statuses every EMAPI-backed route may answer (see http-errors.ts). */
export const ERROR_RESPONSES = {
  400: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
  500: ErrorBodySchema,
  502: ErrorBodySchema,
  503: ErrorBodySchema,
  504: ErrorBodySchema
}
