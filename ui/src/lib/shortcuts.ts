// Keyboard shortcuts: Ctrl (or ⌘ on a Mac keyboard) plus a key.

/** True when `e` is Ctrl/⌘ + `key` (a lower-case letter), with Shift only if `shift`. */
export function isShortcut(e: KeyboardEvent, key: string, shift = false): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && e.shiftKey === shift && e.key.toLowerCase() === key;
}
