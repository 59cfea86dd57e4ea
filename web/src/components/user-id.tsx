import { Fragment } from 'react'

/** Longer than this, a part of an ID may break anywhere: no column is that wide. */
const LONGEST_WHOLE_PART = 32

/**
 * A user ID that wraps between its parts, before each dot, @ and hyphen as addresses are broken in
 * print ("firstname.lastname" / "@very-long-company" / "-domain.example.com"; a hyphen starts its
 * line, so it does not read as one added by hyphenation), never mid-word; the text read and copied
 * is the ID as it is.
 */
export function UserId ({ id }: { id: string }) {
  return id.split(/(?=[.@-])/).map((part, index) => (
    <Fragment key={index}>
      {index > 0 && <wbr />}
      <span className={part.length > LONGEST_WHOLE_PART ? 'break-anywhere' : 'id-part'}>{part}</span>
    </Fragment>
  ))
}
