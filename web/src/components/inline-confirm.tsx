import { useEffect, useRef, useState, type ReactNode } from 'react'

/** An unanswered question closes by itself: a "Confirm" left armed on a shared screen is a trap. */
const INLINE_CONFIRM_TIMEOUT_MS = 30_000

/** The question open now, anywhere on the page: opening another one closes it. */
let closeOpenQuestion: (() => void) | undefined

interface InlineConfirmProps {
  /** The button's id: a control drawn in its place with the same id takes the focus it had (lib/focus-keeper.ts). */
  id?: string
  /** The button's visible text, e.g. "Log out". */
  label: string
  /** Its accessible name when the text alone is ambiguous; it starts with the visible text ("Log out SEP…"). */
  name?: string
  /** Shown on the button while the confirmed action runs. */
  busyLabel?: string
  busy?: boolean
  /** The question, e.g. "Log out jdoe?". */
  question: ReactNode
  /** The group's accessible name, e.g. "Confirm logout of SEP…". */
  groupName: string
  confirmLabel: string
  /** Before the question opens (e.g. to clear the last result). */
  onOpen?: () => void
  onConfirm: () => void
  className?: string
}

/**
 * A button that asks once, in place, before acting. The question closes on Cancel, on Escape,
 * after INLINE_CONFIRM_TIMEOUT_MS, or when another question opens; the focus goes back to the
 * button that opened it (unless it moved on to the other question).
 */
export function InlineConfirm ({ id, label, name, busyLabel, busy = false, question, groupName, confirmLabel, onOpen, onConfirm, className = 'button button-small' }: InlineConfirmProps) {
  const [open, setOpen] = useState(false)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const groupRef = useRef<HTMLSpanElement>(null)
  const refocus = useRef(false)

  function close (returnFocus: boolean): void {
    refocus.current = returnFocus
    setOpen(false)
  }

  useEffect(() => {
    if (!open) {
      if (refocus.current) buttonRef.current?.focus()
      refocus.current = false
      return
    }
    const closeThis = () => close(false)
    closeOpenQuestion?.()
    closeOpenQuestion = closeThis
    const timer = setTimeout(() => {
      // Give the focus back only if it was still on the question, not if the person moved on.
      const active = document.activeElement
      close(active === null || active === document.body || (groupRef.current?.contains(active) ?? false))
    }, INLINE_CONFIRM_TIMEOUT_MS)
    return () => {
      clearTimeout(timer)
      if (closeOpenQuestion === closeThis) closeOpenQuestion = undefined
    }
  }, [open])

  if (!open) {
    return (
      <button
        ref={buttonRef}
        id={id}
        type='button'
        className={className}
        aria-label={name}
        // aria-disabled rather than disabled: the button keeps the focus while its action runs.
        aria-disabled={busy ? true : undefined}
        onClick={() => {
          if (busy) return
          onOpen?.()
          setOpen(true)
        }}
      >
        {busy && busyLabel !== undefined ? busyLabel : label}
      </button>
    )
  }
  return (
    <span
      ref={groupRef}
      className='inline-confirm'
      role='group'
      aria-label={groupName}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return
        event.preventDefault()
        event.stopPropagation()
        close(true)
      }}
    >
      <span className='small'>{question}</span>
      <button
        type='button'
        className='button button-danger button-small'
        autoFocus
        onClick={() => {
          close(true)
          onConfirm()
        }}
      >
        {confirmLabel}
      </button>
      <button type='button' className='button button-ghost button-small' onClick={() => close(true)}>Cancel</button>
    </span>
  )
}
