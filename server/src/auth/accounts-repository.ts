import type { Account, Role } from '@em-console/shared/schemas'
import type { Db } from '../store/database.js'

interface AccountRow {
  id: number
  username: string
  password_hash: string
  role: Role
  disabled: number
  created_at: string
  updated_at: string
  last_sign_in_at: string | null
}

export interface StoredAccount extends Account {
  passwordHash: string
}

function toAccount (row: AccountRow): StoredAccount {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSignInAt: row.last_sign_in_at,
    passwordHash: row.password_hash
  }
}

export function publicAccount ({ passwordHash: _hash, ...account }: StoredAccount): Account {
  return account
}

export type AccountsRepository = ReturnType<typeof createAccountsRepository>

export function createAccountsRepository (db: Db, now: () => Date = () => new Date()) {
  const insert = db.prepare(`INSERT INTO accounts (username, password_hash, role, created_at, updated_at)
    VALUES (@username, @passwordHash, @role, @now, @now)`)
  const byName = db.prepare('SELECT * FROM accounts WHERE username = ?')
  const byId = db.prepare('SELECT * FROM accounts WHERE id = ?')
  const all = db.prepare('SELECT * FROM accounts ORDER BY username')
  const count = db.prepare('SELECT count(*) AS n FROM accounts')
  const activeAdmins = db.prepare("SELECT count(*) AS n FROM accounts WHERE role = 'admin' AND disabled = 0 AND id != ?")
  const update = db.prepare(`UPDATE accounts SET role = coalesce(@role, role), disabled = coalesce(@disabled, disabled),
      password_hash = coalesce(@passwordHash, password_hash), updated_at = @now WHERE id = @id`)
  const signedIn = db.prepare('UPDATE accounts SET last_sign_in_at = ? WHERE id = ?')

  function findById (id: number): StoredAccount | undefined {
    const row = byId.get(id) as AccountRow | undefined
    return row === undefined ? undefined : toAccount(row)
  }

  const reads = {
    count: (): number => (count.get() as { n: number }).n,
    findByUsername (username: string): StoredAccount | undefined {
      const row = byName.get(username) as AccountRow | undefined
      return row === undefined ? undefined : toAccount(row)
    },
    findById,
    list: (): StoredAccount[] => (all.all() as AccountRow[]).map(toAccount),
    /** Whether another enabled admin exists besides `id` (the last admin may not be demoted or disabled). */
    hasOtherAdmin: (id: number): boolean => (activeAdmins.get(id) as { n: number }).n > 0,
    hasEnabledAdmin: (): boolean => (activeAdmins.get(0) as { n: number }).n > 0
  }

  const writes = {
    create (username: string, passwordHash: string, role: Role): StoredAccount {
      const id = Number(insert.run({ username, passwordHash, role, now: now().toISOString() }).lastInsertRowid)
      return findById(id) as StoredAccount
    },
    update (id: number, change: { role?: Role, disabled?: boolean, passwordHash?: string }): StoredAccount | undefined {
      update.run({
        id,
        role: change.role ?? null,
        disabled: change.disabled === undefined ? null : Number(change.disabled),
        passwordHash: change.passwordHash ?? null,
        now: now().toISOString()
      })
      return findById(id)
    },
    recordSignIn (id: number): void {
      signedIn.run(now().toISOString(), id)
    }
  }

  return { reads, writes }
}
