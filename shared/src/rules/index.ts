export * from './runs.js'
export * from './csv.js'
// Its own module: only the run form reads CSV in the browser, so the first page does not carry it.
export * from './csv-parse.js'
export * from './csv-table.js'
export * from './logins.js'
export * from './sessions.js'
export * from './roles.js'
