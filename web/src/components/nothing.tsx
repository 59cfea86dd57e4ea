/** An empty value in a table or a list of facts: the same muted dash everywhere (a plain or monospace one reads as another sign). */
export const NOTHING = <span className='muted'>—</span>
