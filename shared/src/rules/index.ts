export * from './runs.js'
export * from './csv.js'
export * from './sessions.js'
export * from './roles.js'
