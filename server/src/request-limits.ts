/** The largest request body the API reads (Fastify's bodyLimit): a JSON body of 5,000 device names fits many times over. */
export const BODY_LIMIT_BYTES = 1024 * 1024

export { MAX_CSV_BYTES } from '@em-console/shared/rules'

/** A limit in words: "1 MiB". */
export const inMebibytes = (bytes: number): string => `${bytes / (1024 * 1024)} MiB`
