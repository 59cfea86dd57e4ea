/** Same rule as the API's DeviceNameSchema (shared/src/schemas/common.ts). */
const DEVICE_NAME = /^[A-Za-z0-9._-]{1,50}$/

export interface ParsedNames {
  names: string[]
  invalid: string[]
}

/** Splits pasted text (newlines, commas, semicolons, spaces, tabs) into unique device names. */
export function parseDeviceNames (text: string): ParsedNames {
  const seen = new Set<string>()
  const names: string[] = []
  const invalid: string[] = []
  for (const part of text.split(/[\s,;]+/)) {
    if (part === '') continue
    // CUCM compares device names case-insensitively; phones are conventionally upper case.
    const key = part.toUpperCase()
    if (seen.has(key)) continue
    seen.add(key)
    if (DEVICE_NAME.test(part)) names.push(part)
    else invalid.push(part)
  }
  return { names, invalid }
}
