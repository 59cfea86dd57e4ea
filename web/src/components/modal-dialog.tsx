import { useEffect, useId, useLayoutEffect, useRef, type ReactNode } from 'react'
import { returnFocus } from '../lib/focus-keeper.ts'

interface ModalDialogProps {
  open: boolean
  title: string
  onClose: () => void
  /** While true, Escape and the backdrop do not close the dialog (an action is running). */
  busy?: boolean
  tone?: 'danger' | 'default'
  /** `wide` for dialogs holding a form with a side panel. */
  size?: 'default' | 'wide'
  children: ReactNode
}

/**
 * A modal built on the native <dialog>: showModal() makes the rest of the page inert (the focus
 * stays inside), Escape closes it, and focus returns to the opener on close: also when the dialog
 * goes with its owner (drawn only while open), and once enabled when the opener is busy meanwhile
 * (Run now, disabled while the run it confirmed runs).
 */
export function ModalDialog ({ open, title, onClose, busy = false, tone = 'default', size = 'default', children }: ModalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const opener = useRef<Element | null>(null)

  useEffect(() => {
    const dialog = ref.current
    if (dialog === null) return
    if (open && !dialog.open) {
      opener.current = document.activeElement
      dialog.showModal()
      // React handles autoFocus itself, before showModal() runs; showModal() would then move the
      // focus to the first button (Close). Elements marked data-autofocus get it instead.
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus()
    }
    if (!open && dialog.open) closeAndReturnFocus(dialog, opener.current)
  }, [open])
  // Before the dialog leaves the page with its owner: while it is open, the page around it is inert.
  useLayoutEffect(() => () => {
    if (ref.current?.open === true) closeAndReturnFocus(ref.current, opener.current)
  }, [])

  return (
    <dialog
      ref={ref}
      className={size === 'wide' ? `modal modal-${tone} modal-wide` : `modal modal-${tone}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault()
        if (!busy) onClose()
      }}
      onClose={() => { if (open) onClose() }}
    >
      <div className='modal-body'>
        {/* A div: a <header> outside <main> (the Account dialog lives in the top bar) is a banner landmark. */}
        <div className='modal-header'>
          <h2 id={titleId}>{title}</h2>
          <button type='button' className='icon-button' aria-label='Close' onClick={onClose} disabled={busy}>×</button>
        </div>
        {children}
      </div>
    </dialog>
  )
}

/** The browser gives the focus back to the opener on close(), unless the opener cannot take it now. */
function closeAndReturnFocus (dialog: HTMLDialogElement, opener: Element | null): void {
  dialog.close()
  const left = document.activeElement
  // A disabled opener refused it: the focus stays on a control of the hidden dialog, for now.
  if (left instanceof HTMLElement && left !== document.body && dialog.contains(left)) left.blur()
  if (document.activeElement === document.body && opener instanceof HTMLElement) returnFocus(opener)
}
