import { AccountsTable } from '../../features/accounts/components/accounts-table.tsx'
import { CreateAccountForm } from '../../features/accounts/components/create-account-form.tsx'
import { useHasRole } from '../../lib/authorization.tsx'

interface AccountsScreenProps {
  currentUser: string
  onOwnAccountChanged: () => void
}

export function AccountsScreen ({ currentUser, onOwnAccountChanged }: AccountsScreenProps) {
  const isAdmin = useHasRole('admin')
  // The navigation hides this screen from other roles; a typed or bookmarked link still lands here.
  if (!isAdmin) {
    return (
      <div className='notice notice-warn' role='status'>
        <p className='notice-message'>Accounts are managed by admins. Ask an admin if you need a change to yours.</p>
      </div>
    )
  }
  return (
    <div className='stack'>
      <CreateAccountForm />
      <AccountsTable currentUser={currentUser} onOwnAccountChanged={onOwnAccountChanged} />
    </div>
  )
}
