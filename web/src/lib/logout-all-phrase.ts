import type { LogoutAllBody } from '@em-console/shared/schemas'

/** The words typed before any logout of every EM user, whichever way it is started. */
export const LOGOUT_ALL_CONFIRMATION: LogoutAllBody['confirm'] = 'LOG OUT ALL'
