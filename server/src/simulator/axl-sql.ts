/**
 * The SQL the simulator's AXL understands: not an engine, the subset EM Console and public AXL
 * scripts write (../../../../shared/axl/PROTOCOL.md §2, §3):
 *   SELECT [SKIP n] [FIRST n | LIMIT n] COUNT(*) [AS x] | t.col [AS x], ...
 *   FROM table [alias] {[INNER | LEFT [OUTER]] JOIN table [alias] ON a.col = b.col}
 *   [WHERE cond {AND cond}] [ORDER BY col [ASC | DESC], ...]
 * where cond is `col IS [NOT] NULL` or `col <op> literal`. Any other shape, and any table or
 * column CUCM does not have, fails loudly with Informix's code and text, as CUCM would.
 */

export type Value = string | number | null
export type Row = Readonly<Record<string, Value>>

export interface Table {
  columns: readonly string[]
  rows: readonly Row[]
}

export type Database = ReadonlyMap<string, Table>

/** An Informix error as AXL reports it: the (negative) code and its text. */
export class SqlError extends Error {
  constructor (readonly code: number, message: string) {
    super(message)
    this.name = 'SqlError'
  }
}

const syntaxError = (): SqlError => new SqlError(-201, 'A syntax error has occurred.')
const columnNotFound = (column: string): SqlError => new SqlError(-217, `Column (${column}) not found in any table in the query (or SLV is undefined).`)

interface ColumnRef { qualifier: string | null, column: string }
type Item = { kind: 'count', name: string } | { kind: 'column', ref: ColumnRef, name: string }
type Operator = '=' | '<>' | '<' | '<=' | '>' | '>='
type Condition = { ref: ColumnRef, test: 'null' } | { ref: ColumnRef, test: 'not-null' } | { ref: ColumnRef, test: Operator, value: number | string }

export interface Statement {
  skip: number
  first: number | null
  items: Item[]
  tables: Array<{ table: string, alias: string }>
  joins: Array<{ left: boolean, on: [ColumnRef, ColumnRef] }>
  where: Condition[]
  orderBy: Array<{ ref: ColumnRef, descending: boolean }>
}

type Token = { kind: 'word', text: string } | { kind: 'number', value: number } | { kind: 'string', value: string } | { kind: 'symbol', text: string }

const TOKEN = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|(\d+)|'((?:[^']|'')*)'|(<>|!=|<=|>=|[=<>(),.*-]))/y
const KEYWORDS = new Set(['select', 'skip', 'first', 'limit', 'from', 'join', 'inner', 'left', 'outer', 'on', 'where', 'and', 'or', 'order', 'by', 'asc', 'desc', 'as', 'is', 'not', 'null', 'group', 'having', 'union'])

function tokenize (sql: string): Token[] {
  const tokens: Token[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < sql.length) {
    if (sql.slice(TOKEN.lastIndex).trim() === '') break
    const match = TOKEN.exec(sql)
    if (match === null) throw syntaxError()
    const [, word, number, text, symbol] = match
    // Informix identifiers are case-insensitive; AXL names answer elements in lower case.
    if (word !== undefined) tokens.push({ kind: 'word', text: word.toLowerCase() })
    else if (number !== undefined) tokens.push({ kind: 'number', value: Number(number) })
    else if (text !== undefined) tokens.push({ kind: 'string', value: text.replaceAll("''", "'") })
    else tokens.push({ kind: 'symbol', text: symbol === '!=' ? '<>' : symbol ?? '' })
  }
  return tokens
}

class Parser {
  private position = 0
  constructor (private readonly tokens: Token[]) {}

  private peek (offset = 0): Token | undefined {
    return this.tokens[this.position + offset]
  }

  private isWord (word: string, offset = 0): boolean {
    const token = this.peek(offset)
    return token?.kind === 'word' && token.text === word
  }

  private isSymbol (symbol: string): boolean {
    const token = this.peek()
    return token?.kind === 'symbol' && token.text === symbol
  }

  private accept (word: string): boolean {
    if (!this.isWord(word)) return false
    this.position++
    return true
  }

  private expect (word: string): void {
    if (!this.accept(word)) throw syntaxError()
  }

  private expectSymbol (symbol: string): void {
    if (!this.isSymbol(symbol)) throw syntaxError()
    this.position++
  }

  private identifier (): string {
    const token = this.peek()
    if (token?.kind !== 'word' || KEYWORDS.has(token.text)) throw syntaxError()
    this.position++
    return token.text
  }

  private integer (): number {
    const token = this.peek()
    if (token?.kind !== 'number') throw syntaxError()
    this.position++
    return token.value
  }

  private columnRef (): ColumnRef {
    const first = this.identifier()
    if (!this.isSymbol('.')) return { qualifier: null, column: first }
    this.position++
    return { qualifier: first, column: this.identifier() }
  }

  private optionalAlias (): string | null {
    if (this.accept('as')) return this.identifier()
    const token = this.peek()
    return token?.kind === 'word' && !KEYWORDS.has(token.text) ? this.identifier() : null
  }

  private item (): Item {
    if (this.isWord('count') && this.peek(1)?.kind === 'symbol') {
      this.position++
      this.expectSymbol('(')
      this.expectSymbol('*')
      this.expectSymbol(')')
      return { kind: 'count', name: this.optionalAlias() ?? 'count' }
    }
    if (this.isSymbol('*')) throw new SqlError(-201, 'The simulator answers only named columns: name each column instead of *.')
    const ref = this.columnRef()
    return { kind: 'column', ref, name: this.optionalAlias() ?? ref.column }
  }

  private tableRef (): { table: string, alias: string } {
    const table = this.identifier()
    return { table, alias: this.optionalAlias() ?? table }
  }

  private literal (): number | string {
    const token = this.peek()
    if (token?.kind === 'symbol' && token.text === '-') {
      this.position++
      return -this.integer()
    }
    if (token?.kind === 'number') return this.integer()
    if (token?.kind === 'string') {
      this.position++
      return token.value
    }
    throw syntaxError()
  }

  private condition (): Condition {
    const ref = this.columnRef()
    if (this.accept('is')) {
      const negated = this.accept('not')
      this.expect('null')
      return negated ? { ref, test: 'not-null' } : { ref, test: 'null' }
    }
    const token = this.peek()
    if (token?.kind !== 'symbol' || !['=', '<>', '<', '<=', '>', '>='].includes(token.text)) throw syntaxError()
    this.position++
    return { ref, test: token.text as Operator, value: this.literal() }
  }

  statement (): Statement {
    this.expect('select')
    const skip = this.accept('skip') ? this.integer() : 0
    const first = this.accept('first') || this.accept('limit') ? this.integer() : null
    const items = [this.item()]
    while (this.isSymbol(',')) {
      this.position++
      items.push(this.item())
    }
    this.expect('from')
    const tables = [this.tableRef()]
    const joins: Statement['joins'] = []
    for (;;) {
      let left = false
      if (this.accept('left')) {
        left = true
        this.accept('outer')
      } else {
        this.accept('inner')
      }
      if (!this.accept('join')) {
        if (left) throw syntaxError()
        break
      }
      tables.push(this.tableRef())
      this.expect('on')
      const a = this.columnRef()
      this.expectSymbol('=')
      joins.push({ left, on: [a, this.columnRef()] })
    }
    const where: Condition[] = []
    if (this.accept('where')) {
      where.push(this.condition())
      while (this.accept('and')) where.push(this.condition())
    }
    const orderBy: Statement['orderBy'] = []
    if (this.accept('order')) {
      this.expect('by')
      for (;;) {
        const ref = this.columnRef()
        const descending = this.accept('desc')
        if (!descending) this.accept('asc')
        orderBy.push({ ref, descending })
        if (!this.isSymbol(',')) break
        this.position++
      }
    }
    if (this.peek() !== undefined) throw syntaxError()
    return { skip, first, items, tables, joins, where, orderBy }
  }
}

export function parseStatement (sql: string): Statement {
  return new Parser(tokenize(sql)).statement()
}

/** Where a column lives: the position of its table in the FROM list, and its name. */
interface Resolved { table: number, column: string }

function resolver (db: Database, statement: Statement): (ref: ColumnRef, visible?: number) => Resolved {
  const tables = statement.tables.map(({ table }) => {
    const found = db.get(table)
    if (found === undefined) throw new SqlError(-206, `The specified table (${table}) is not in the database.`)
    return found
  })
  return (ref, visible = tables.length) => {
    const candidates = ref.qualifier === null
      ? tables.map((t, i) => ({ t, i })).filter(({ t, i }) => i < visible && t.columns.includes(ref.column))
      : statement.tables.map((t, i) => ({ t: tables[i] as Table, i, alias: t.alias })).filter(({ alias, i }) => i < visible && alias === ref.qualifier)
    const [hit, ...more] = candidates
    if (hit === undefined || !hit.t.columns.includes(ref.column)) throw columnNotFound(ref.column)
    if (more.length > 0) throw new SqlError(-324, `Ambiguous column (${ref.column}).`)
    return { table: hit.i, column: ref.column }
  }
}

type Joined = Array<Row | null>

function valueOf (row: Joined, at: Resolved): Value {
  return row[at.table]?.[at.column] ?? null
}

function compare (a: Value, b: Value): number {
  // Informix sorts NULL before any value.
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  const x = String(a)
  const y = String(b)
  return x < y ? -1 : x > y ? 1 : 0
}

function holds (value: Value, condition: Condition): boolean {
  if (condition.test === 'null') return value === null
  if (condition.test === 'not-null') return value !== null
  if (value === null) return false
  const order = compare(value, condition.value)
  switch (condition.test) {
    case '=': return order === 0
    case '<>': return order !== 0
    case '<': return order < 0
    case '<=': return order <= 0
    case '>': return order > 0
    case '>=': return order >= 0
  }
}

export interface ResultSet {
  columns: string[]
  rows: Value[][]
}

/**
 * Runs a statement, SKIP and FIRST left out: callers slice the (cacheable) full result. Every
 * name is checked before any row is read, so a wrong column fails even on an empty table.
 */
export function evaluate (db: Database, statement: Statement): ResultSet {
  const resolve = resolver(db, statement)
  const joins = statement.joins.map((join, index) => {
    const table = index + 1
    const [a, b] = join.on.map((ref) => resolve(ref, table + 1)) as [Resolved, Resolved]
    const [inner, outer] = a.table === table ? [a, b] : [b, a]
    if (inner.table !== table || outer.table >= table) throw new SqlError(-201, 'A join condition must compare the joined table with one before it.')
    return { left: join.left, inner, outer }
  })
  const where = statement.where.map((condition) => ({ at: resolve(condition.ref), condition }))
  const counting = statement.items.some((item) => item.kind === 'count')
  const items = statement.items.map((item) => {
    if (counting && item.kind === 'column') throw new SqlError(-294, `The column (${item.ref.column}) must be in the GROUP BY list.`)
    return item.kind === 'column' ? { name: item.name, at: resolve(item.ref) } : { name: item.name, at: null }
  })
  const order = statement.orderBy.map(({ ref, descending }) => {
    // ORDER BY may name an output column by its alias.
    const output = ref.qualifier === null ? items.find((item) => item.name === ref.column && item.at !== null) : undefined
    return { at: output?.at ?? resolve(ref), descending }
  })

  const tables = statement.tables.map(({ table }) => db.get(table) as Table)
  let rows: Joined[] = (tables[0] as Table).rows.map((row) => [row])
  joins.forEach((join, index) => {
    const byKey = new Map<Value, Row[]>()
    for (const row of (tables[index + 1] as Table).rows) {
      const key = row[join.inner.column] ?? null
      if (key === null) continue
      const list = byKey.get(key)
      if (list === undefined) byKey.set(key, [row])
      else list.push(row)
    }
    const next: Joined[] = []
    for (const row of rows) {
      const key = valueOf(row, join.outer)
      const matches = key === null ? undefined : byKey.get(key)
      if (matches !== undefined) for (const match of matches) next.push([...row, match])
      else if (join.left) next.push([...row, null])
    }
    rows = next
  })
  rows = rows.filter((row) => where.every(({ at, condition }) => holds(valueOf(row, at), condition)))
  const columns = items.map((item) => item.name)
  if (counting) return { columns, rows: [items.map(() => rows.length)] }
  if (order.length > 0) {
    rows.sort((x, y) => {
      for (const { at, descending } of order) {
        const c = compare(valueOf(x, at), valueOf(y, at))
        if (c !== 0) return descending ? -c : c
      }
      return 0
    })
  }
  return { columns, rows: rows.map((row) => items.map((item) => item.at === null ? null : valueOf(row, item.at))) }
}

/** SKIP and FIRST, applied after ORDER BY as Informix does. */
export function slice (result: ResultSet, statement: Statement): ResultSet {
  const end = statement.first === null ? undefined : statement.skip + statement.first
  return { columns: result.columns, rows: result.rows.slice(statement.skip, end) }
}
