/**
 * What stopped work in flight: the server, or the em-console command running it and how (killed
 * outright, or a signal such as SIGTERM). The records of what a stop cut short name it, never CUCM.
 */
export type Stopper = 'server' | { command: string }

/** "The server stopped", "The em-console command stopped (SIGTERM)": how the record of what a stop cut short begins. */
export function stoppedText (by: Stopper): string {
  return by === 'server' ? 'The server stopped' : `The em-console command stopped (${by.command})`
}
