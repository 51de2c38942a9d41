// What the form fields share with the editor: text typed into a field that is
// not a valid value yet (a date that is not a date) is held by the editor, not
// by the field, so it stays visible when the user switches tabs and keeps the
// pack from being saved until it is fixed; and the editor says which message to
// show under each field (its own checks, or the core's when it refused a save).
//
// Fields look their host up by context; outside an editor (a field on its own,
// in a test) they keep their typed text themselves.

import { getContext, setContext } from "svelte";
import type { Diagnostic } from "../api";

export interface FieldMessage {
  message: string;
  severity: Diagnostic["severity"];
}

export interface FieldHost {
  /** The invalid text held for the field `id`, if any. */
  draft(id: string): string | null;
  /** Holds `text` in the field `id` with `message` until it is fixed. */
  setDraft(id: string, text: string, message: string, label: string): void;
  clearDraft(id: string): void;
  /** The message to show under the field `id`, if any. */
  fieldMessage(id: string): FieldMessage | null;
}

/** Fields with no editor around them keep their own typed text. */
class OwnFields implements FieldHost {
  drafts = $state<Record<string, { text: string; message: string }>>({});
  draft(id: string): string | null {
    return this.drafts[id]?.text ?? null;
  }
  setDraft(id: string, text: string, message: string): void {
    this.drafts[id] = { text, message };
  }
  clearDraft(id: string): void {
    delete this.drafts[id];
  }
  fieldMessage(id: string): FieldMessage | null {
    const draft = this.drafts[id];
    return draft ? { message: draft.message, severity: "error" } : null;
  }
}

const KEY = Symbol("briefpack-fields");

/** Makes `host` the fields' host for the components below the caller. */
export function provideFieldHost(host: FieldHost): void {
  setContext(KEY, host);
}

/** The host of the calling field (call during component set-up). */
export function fieldHost(): FieldHost {
  return getContext<FieldHost | undefined>(KEY) ?? new OwnFields();
}
