import { isUtf8 } from 'node:buffer'

/**
 * The text of an XML answer, in the encoding it says it is in. The charset of CUCM's answers is
 * not documented (EMAPI PROTOCOL.md §1: "parse the body whatever the header says"), so the header
 * is not read: a byte order mark, else the XML declaration's `encoding`, else UTF-8 (XML's own
 * default). An encoding this runtime does not know is read as UTF-8. Bytes that are not UTF-8 and
 * declare no other encoding are ISO-8859-1: a Java servlet's writer sends that unless told
 * otherwise, naming it only in the header (a profile "Büro" would otherwise read "B�ro").
 */
export function xmlText (bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.toString('utf8')
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decode(bytes, 'utf-16le')
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decode(bytes, 'utf-16be')
  // Without a mark, UTF-16 shows as a NUL beside the declaration's first "<".
  if (bytes[0] === 0x3c && bytes[1] === 0x00) return decode(bytes, 'utf-16le')
  if (bytes[0] === 0x00 && bytes[1] === 0x3c) return decode(bytes, 'utf-16be')
  const declared = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]{0,39})["']/.exec(bytes.toString('latin1', 0, Math.min(bytes.length, 200)))?.[1]
  // The bytes themselves rule UTF-16 out here (no mark, no NUL beside "<"): a declaration saying it is wrong.
  if (declared === undefined || /^utf-?8$/i.test(declared) || /^utf-?16/i.test(declared)) return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1')
  return decode(bytes, declared)
}

function decode (bytes: Buffer, encoding: string): string {
  try {
    return new TextDecoder(encoding).decode(bytes)
  } catch {
    return bytes.toString('utf8')
  }
}
