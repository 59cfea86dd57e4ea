/** The largest request body the API reads (Fastify's bodyLimit): a JSON body of 5,000 device names fits many times over. */
export const BODY_LIMIT_BYTES = 1024 * 1024

/** The largest CSV file a bulk run reads (POST /api/runs as text/csv): 5,000 login rows with long names fit. */
export const MAX_CSV_BYTES = 5 * 1024 * 1024

/** A limit in words: "1 MiB". */
export const inMebibytes = (bytes: number): string => `${bytes / (1024 * 1024)} MiB`
