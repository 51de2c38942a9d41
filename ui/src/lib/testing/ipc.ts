// Test double for the Rust side: records every command the UI sends and answers
// from a table, so a test says only what differs from an ordinary editing session.
import { mockIPC } from "@tauri-apps/api/mocks";
import { preview, saved, templates } from "./fixtures";

export type Call = { cmd: string; args: Record<string, unknown> };
export type Answer = unknown | ((args: Record<string, unknown>) => unknown);

/** The answers an open editor needs: templates, a preview, a successful save. */
export const EDITOR_ANSWERS: Record<string, Answer> = {
  list_templates: templates,
  render_preview: () => preview(84),
  save_pack: () => saved("rev-2"),
};

/**
 * Records every command and answers with `answers[cmd]` (a value, or a function
 * of the arguments); a command without an answer gets `fallback`.
 */
export function recordIPC(answers: Record<string, Answer>, { fallback = undefined as unknown, events = false } = {}): Call[] {
  const calls: Call[] = [];
  mockIPC(
    (cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args });
      if (!(cmd in answers)) return fallback;
      const answer = answers[cmd];
      return typeof answer === "function" ? (answer as (a: Record<string, unknown>) => unknown)(args) : answer;
    },
    events ? { shouldMockEvents: true } : undefined,
  );
  return calls;
}
