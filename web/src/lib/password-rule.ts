/** The server's password policy in words, shown under every field that sets a password. */
export const PASSWORD_RULE = 'At least 12 characters, and not containing the user name.'
