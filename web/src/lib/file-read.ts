/**
 * Why the browser could not read a file the person chose (moved, deleted or no longer readable
 * since it was chosen), in words for under its field. The browser's own reason follows.
 */
export function fileReadProblem (error: unknown): string {
  const reason = error instanceof Error && error.message !== '' ? error.message : 'the browser gave no reason.'
  return `The file could not be read: ${reason}${/[.!?]$/.test(reason) ? '' : '.'} Choose it again, or another.`
}
