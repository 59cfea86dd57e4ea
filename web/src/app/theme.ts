import { useEffect, useState } from 'react'

export type ThemeChoice = 'system' | 'light' | 'dark'
const STORAGE_KEY = 'em-console-theme'

export function readTheme (): ThemeChoice {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY)
    return stored === 'light' || stored === 'dark' ? stored : 'system'
  } catch {
    return 'system'
  }
}

/** `data-theme` on <html> overrides prefers-color-scheme; "system" removes it (see styles/theme.css). */
export function applyTheme (choice: ThemeChoice): void {
  if (choice === 'system') delete document.documentElement.dataset.theme
  else document.documentElement.dataset.theme = choice
}

export function useTheme (): [ThemeChoice, (choice: ThemeChoice) => void] {
  const [choice, setChoice] = useState<ThemeChoice>(readTheme)
  useEffect(() => {
    applyTheme(choice)
    try {
      if (choice === 'system') window.localStorage.removeItem(STORAGE_KEY)
      else window.localStorage.setItem(STORAGE_KEY, choice)
    } catch {
      // Private browsing may refuse storage; the choice still holds for this page.
    }
  }, [choice])
  return [choice, setChoice]
}
