import { Type, type Static } from 'typebox'

export const ModeSchema = Type.Union([Type.Literal('simulator'), Type.Literal('cucm')])
export type Mode = Static<typeof ModeSchema>

export const HealthSchema = Type.Object({
  version: Type.String(),
  mode: ModeSchema,
  cucm: Type.Object({ host: Type.String(), port: Type.Integer() }),
  emapi: Type.Object({
    reachable: Type.Boolean(),
    latencyMs: Type.Union([Type.Number(), Type.Null()]),
    checkedAt: Type.String({ format: 'date-time' }),
    error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String(), emapiCode: Type.Optional(Type.Integer()) }))
  })
})
export type Health = Static<typeof HealthSchema>
