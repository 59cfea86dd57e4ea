import { displayDeviceName } from '@em-console/shared/display'
import { DEVICE_NAME, shortProblem } from '@em-console/shared/field-rules'

/** A text that is not a device name, and why, in words. */
export interface InvalidName {
  text: string
  problem: string
}

export interface ParsedNames {
  names: string[]
  invalid: InvalidName[]
  /** Entries that repeat an earlier one (compared without case): asked once. */
  repeated: number
}

export { displayDeviceName }

/** Splits pasted text (newlines, commas, semicolons, spaces, tabs) into unique device names, upper case. */
export function parseDeviceNames (text: string): ParsedNames {
  const seen = new Set<string>()
  const names: string[] = []
  const invalid: InvalidName[] = []
  let repeated = 0
  for (const part of text.split(/[\s,;]+/)) {
    if (part === '') continue
    const name = displayDeviceName(part)
    if (seen.has(name)) { repeated++; continue }
    seen.add(name)
    const problem = shortProblem(DEVICE_NAME, part)
    if (problem === undefined) names.push(name)
    else invalid.push({ text: part, problem })
  }
  return { names, invalid, repeated }
}

/** True when the text holds anything at all to look up (separators alone do not count). */
export function hasEntries (text: string): boolean {
  return /[^\s,;]/.test(text)
}
