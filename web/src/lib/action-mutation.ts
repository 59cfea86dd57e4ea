import { useMutation, type DefaultError, type UseMutationOptions, type UseMutationResult } from '@tanstack/react-query'
import { useCallback, useRef } from 'react'

/**
 * useMutation for an action on CUCM (a logout, a login, a run's start, a schedule run now): while
 * one is in flight, `mutate` does nothing. The button that sends it shows that it is busy one
 * render later, and a double click in between sent the action twice (two bulk runs of one list).
 */
export function useActionMutation<TData = unknown, TError = DefaultError, TVariables = void, TContext = unknown> (
  options: UseMutationOptions<TData, TError, TVariables, TContext>
): UseMutationResult<TData, TError, TVariables, TContext> {
  const inFlight = useRef(false)
  const mutation = useMutation({
    ...options,
    onSettled: async (...settled) => {
      inFlight.current = false
      await options.onSettled?.(...settled)
    }
  })
  const { mutate: send } = mutation
  const mutate = useCallback<typeof send>((...sent) => {
    if (inFlight.current) return
    inFlight.current = true
    send(...sent)
  }, [send])
  return { ...mutation, mutate }
}
