// Keyboard shortcuts: Ctrl (or ⌘ on a Mac keyboard) plus a key.

/** True when `e` is Ctrl/⌘ + `key` (a lower-case letter), with Shift only if `shift`. */
export function isShortcut(e: KeyboardEvent, key: string, shift = false): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && e.shiftKey === shift && e.key.toLowerCase() === key;
}

/** Back from the editor to the library. */
export const BACK_TO_LIBRARY = { key: "l", shift: true, label: "Ctrl+Shift+L", aria: "Control+Shift+L" } as const;

/** True when `target` takes typed text (so Ctrl+A there selects its text). */
export function isTextTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLTextAreaElement || target.isContentEditable || target.closest('[contenteditable]:not([contenteditable="false"])')) return true;
  if (target instanceof HTMLInputElement) return !["checkbox", "radio", "button", "submit", "reset", "file", "range", "color", "image"].includes(target.type);
  return false;
}

/**
 * Ctrl+A outside a text field would select the whole window (every label and
 * button): it does nothing there. True when the event was stopped.
 */
export function stopSelectAll(e: KeyboardEvent): boolean {
  if (!isShortcut(e, "a") || isTextTarget(e.target)) return false;
  e.preventDefault();
  return true;
}
