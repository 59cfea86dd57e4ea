export * from './runs.js'
