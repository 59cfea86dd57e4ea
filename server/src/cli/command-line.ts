import { closest } from '../did-you-mean.js'
import { UsageError, type Values } from './output.js'

/** One option of a command. */
export interface OptionSpec {
  /** What the option's value is, as its refusal says it ("a device pool name"); none: a flag. */
  readonly value?: string
  /** Its one-letter form, without the dash. */
  readonly short?: string
  /** Given again, it adds to a list (--pool A --pool B); otherwise the last one counts. */
  readonly multiple?: true
}

/** What a command's line may hold: its options, and whether it takes arguments (device names, a user ID). */
export interface CommandSpec {
  readonly options: Readonly<Record<string, OptionSpec>>
  readonly positionals: boolean
}

export interface CommandLine {
  values: Values
  positionals: string[]
}

/** Whether a command line asks for --json, to say its refusal so too: an option, not an argument after `--`. */
export function asksJson (args: readonly string[]): boolean {
  const end = args.indexOf('--')
  return (end === -1 ? args : args.slice(0, end)).includes('--json')
}

/**
 * A command's line read by the usual rules (`--name value`, `--name=value`, `-n value`, `-n5`,
 * `-yh`; `-` is an argument; after `--` everything is), or its first mistake as a UsageError in
 * the CLI's words. A value is never empty: `--pool "$POOL"` with nothing in POOL would otherwise
 * select every pool.
 */
export function parseCommandLine (command: string, spec: CommandSpec, args: readonly string[]): CommandLine {
  const values: Values = {}
  const positionals: string[] = []
  const optionNamed = (name: string): OptionSpec | undefined => Object.hasOwn(spec.options, name) ? spec.options[name] : undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ''
    const argument = (word: string): void => {
      if (!spec.positionals) throw new UsageError(`${command} takes no arguments (got "${word.slice(0, 40)}")`)
      positionals.push(word)
    }
    if (arg === '--') {
      args.slice(i + 1).forEach(argument)
      break
    }
    if (arg === '-' || !arg.startsWith('-')) {
      argument(arg)
      continue
    }
    // Each option read takes the argument after it as its value when it has none of its own.
    const take = (name: string, option: OptionSpec, named: string, own: string | undefined): void => {
      if (option.value === undefined) {
        if (own !== undefined) throw new UsageError(`${named} takes no value (got "${arg.slice(0, 40)}")`)
        values[name] = true
        return
      }
      const next = args[i + 1]
      const expected = `${named} takes ${option.value}`
      if (own === undefined && next !== undefined && next.length > 1 && next.startsWith('-')) {
        throw new UsageError(`${expected}: none was given before ${next.slice(0, 40)} (a value that starts with "-" is written --${name}=${next.slice(0, 40)})`)
      }
      const value = own ?? next
      if (own === undefined) i++
      if (value === undefined || value.trim() === '') throw new UsageError(`${expected}: none was given`)
      const earlier = values[name]
      values[name] = option.multiple === true ? [...(Array.isArray(earlier) ? earlier : []), value] : value
    }
    if (arg.startsWith('--')) {
      const equals = arg.indexOf('=')
      const name = arg.slice(2, equals === -1 ? undefined : equals)
      const option = optionNamed(name)
      // `--=x` has no name: said as written.
      if (option === undefined) throw new UsageError(unknownOption(command, spec, name === '' ? arg : `--${name}`))
      take(name, option, `--${name}`, equals === -1 ? undefined : arg.slice(equals + 1))
      continue
    }
    // -yh is -y -h; -n5 is -n 5: the letters after one that takes a value are its value.
    for (let at = 1; at < arg.length; at++) {
      const letter = arg.slice(at, at + 1)
      const name = Object.keys(spec.options).find((key) => spec.options[key]?.short === letter)
      const option = name === undefined ? undefined : optionNamed(name)
      if (name === undefined || option === undefined) throw new UsageError(unknownOption(command, spec, `-${letter}`))
      const rest = arg.slice(at + 1)
      take(name, option, `-${letter} (--${name})`, option.value === undefined || rest === '' ? undefined : rest)
      if (option.value !== undefined) break
    }
  }
  return { values, positionals }
}

/** "unknown option --clster (did you mean --cluster?); logout-all takes --cluster, --yes (-y), --json, --help (-h)" */
function unknownOption (command: string, spec: CommandSpec, raw: string): string {
  const names = Object.keys(spec.options)
  const meant = raw.startsWith('--') ? closest(raw, names.map((name) => `--${name}`)) : undefined
  const taken = names.map((name) => {
    const short = spec.options[name]?.short
    return `--${name}${short === undefined ? '' : ` (-${short})`}`
  })
  return `unknown option ${raw.slice(0, 40)}${meant === undefined ? '' : ` (did you mean ${meant}?)`}; ${command} takes ${taken.join(', ')}`
}
