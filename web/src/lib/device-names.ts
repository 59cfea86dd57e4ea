import { DEVICE_NAME, shortProblem } from './field-rules.ts'

/** A text that is not a device name, and why, in words. */
export interface InvalidName {
  text: string
  problem: string
}

export interface ParsedNames {
  names: string[]
  invalid: InvalidName[]
}

/**
 * A device name as every screen shows it: upper case, as CUCM lists phones (SEP + MAC, CSF…,
 * TCT…). CUCM compares names case-insensitively, so the case typed carries no meaning; one way of
 * writing each name keeps "sep00…" in a pasted list and "SEP00…" in the results recognisably the same.
 */
export function displayDeviceName (name: string): string {
  return name.toUpperCase()
}

/** Splits pasted text (newlines, commas, semicolons, spaces, tabs) into unique device names, upper case. */
export function parseDeviceNames (text: string): ParsedNames {
  const seen = new Set<string>()
  const names: string[] = []
  const invalid: InvalidName[] = []
  for (const part of text.split(/[\s,;]+/)) {
    if (part === '') continue
    const name = displayDeviceName(part)
    if (seen.has(name)) continue
    seen.add(name)
    const problem = shortProblem(DEVICE_NAME, part)
    if (problem === undefined) names.push(name)
    else invalid.push({ text: part, problem })
  }
  return { names, invalid }
}

/** True when the text holds anything at all to look up (separators alone do not count). */
export function hasEntries (text: string): boolean {
  return /[^\s,;]/.test(text)
}
