import { useMutation, type DefaultError, type MutateOptions, type UseMutationOptions, type UseMutationResult } from '@tanstack/react-query'
import { useCallback, useRef } from 'react'

/**
 * useMutation for an action on CUCM (a logout, a login, a run's start, a schedule run now), or a
 * change whose second copy would be refused (an account's creation, a save of the settings, a
 * password change): while one is in flight, `mutate` does nothing. The button that sends it shows
 * that it is busy one render later, and a double click in between sent the action twice (two bulk
 * runs of one list).
 * `reset` (a dialog opened again, a row's other action) forgets the action in flight as it forgets
 * its answer: the next is sent, and the server says if one still runs (a schedule's 409), rather
 * than a click that does nothing.
 */
export function useActionMutation<TData = unknown, TError = DefaultError, TVariables = void, TContext = unknown> (
  options: UseMutationOptions<TData, TError, TVariables, TContext>
): UseMutationResult<TData, TError, TVariables, TContext> {
  const inFlight = useRef(false)
  const mutation = useMutation(options)
  const { mutate: send, reset: forget } = mutation
  const mutate = useCallback((variables: TVariables, callbacks?: MutateOptions<TData, TError, TVariables, TContext>) => {
    if (inFlight.current) return
    inFlight.current = true
    // The callbacks of the latest call only: those of one forgotten by reset never come.
    send(variables, {
      ...callbacks,
      onSettled: (...settled) => {
        inFlight.current = false
        callbacks?.onSettled?.(...settled)
      }
    })
  }, [send])
  const reset = useCallback(() => {
    inFlight.current = false
    forget()
  }, [forget])
  return { ...mutation, mutate, reset } as UseMutationResult<TData, TError, TVariables, TContext>
}
