import { DeviceNameSchema } from '@em-console/shared/schemas'
import Value from 'typebox/value'

/**
 * Why `name` is not a CUCM device name (DeviceNameSchema's rule), or undefined when it is one.
 * For lists that arrive as text (query strings, CSV rows, the command line) rather than schemas.
 */
export function deviceNameProblem (name: string): string | undefined {
  const valid: boolean = Value.Check(DeviceNameSchema, name)
  if (valid) return undefined
  return `"${name.slice(0, 60)}" is not a device name (letters, digits, dot, dash and underscore, at most 50)`
}
