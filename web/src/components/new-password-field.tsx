import type { ComponentProps } from 'react'
import { PASSWORD_POLICY } from '@em-console/shared/field-rules'
import { TextField } from './text-field.tsx'

/** A password being chosen for an account: the browser may offer to make one, and the policy shows under it unless `hint` says more. */
export function NewPasswordField (props: Omit<ComponentProps<typeof TextField>, 'type' | 'autoComplete'>) {
  return <TextField type='password' autoComplete='new-password' hint={PASSWORD_POLICY} {...props} />
}
