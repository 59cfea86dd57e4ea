export * from './runs.js'
export * from './csv.js'
