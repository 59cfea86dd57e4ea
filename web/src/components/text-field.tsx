import type { ComponentProps, ReactNode } from 'react'

interface TextFieldProps extends Omit<ComponentProps<'input'>, 'id' | 'className' | 'aria-invalid' | 'aria-describedby'> {
  id: string
  label: string
  /** Shown under the input while there is no error. */
  hint?: ReactNode
  /** The server's verdict on this field; replaces the hint and marks the input invalid. */
  error?: string
  /** Marks the input invalid when the message shows elsewhere (defaults to whether `error` is set). */
  invalid?: boolean
  /** Id of the hint or error under the input; defaults to `${id}-hint`. */
  hintId?: string
  /** Id of what says why it is invalid when that shows elsewhere (an error notice under the form), without a hint or error here. */
  describedBy?: string
  /** Classes the input has beside `input` (`mono` for a device name or cron, `input-narrow` for a number). */
  inputClassName?: string
}

/** A labelled input with an optional hint or error under it, tied to it by aria-describedby. */
export function TextField ({ id, label, hint, error, invalid = error !== undefined, hintId = `${id}-hint`, describedBy, inputClassName, ...inputProps }: TextFieldProps) {
  const described = error !== undefined || hint !== undefined
  return (
    <div className='field'>
      <label className='field-label' htmlFor={id}>{label}</label>
      <input
        {...inputProps}
        id={id}
        className={inputClassName === undefined ? 'input' : `input ${inputClassName}`}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={described ? hintId : describedBy}
      />
      {error !== undefined
        ? <span id={hintId} className='field-error' role='alert'>{error}</span>
        : hint !== undefined && <span id={hintId} className='field-hint'>{hint}</span>}
    </div>
  )
}
