/**
 * A screen's page as part of its address, so Back, Forward and a reload keep it (History's pages,
 * a run's items): `after=c1.c2` is page 3, each cursor the one that reaches its page (base64url, or
 * a number). Cursors that cannot be one are dropped, so a mangled address opens an earlier page.
 */
export function readCursors (params: URLSearchParams): string[] {
  return (params.get('after') ?? '').split('.').filter((cursor) => /^[A-Za-z0-9_-]{1,100}$/.test(cursor))
}

/** The `after` of an address for the pages after the first; none on the first page. */
export function cursorsParam (cursors: readonly string[]): string | undefined {
  return cursors.length === 0 ? undefined : cursors.join('.')
}
