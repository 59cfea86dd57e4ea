/**
 * Upper bounds of the session-age buckets of GET /api/sessions/summary, in hours; the last bucket
 * is open. Here, free of TypeBox, so the store (and the CLI that opens it) does not load the schemas.
 */
export const SESSION_AGE_BUCKETS = [1, 8, 24, 72, 168] as const

/** The oldest age a selection of sessions by age takes, in hours (ten years): the API's, the CLI's and the dashboard's. */
export const MAX_SESSION_AGE_HOURS = 87_600

/** The longest a schedule's logout-older-than may wait before it logs a session out, in hours: a year. */
export const MAX_SCHEDULE_AGE_HOURS = 8760
