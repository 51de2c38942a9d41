// Toasts: short messages at the foot of the window. Errors stay until dismissed or
// replaced; information fades after a few seconds. A toast with a `key` replaces an
// earlier one with the same key instead of piling up.

import { asApiError } from "../api";
import { errorDetail } from "./format";

export interface ToastAction {
  label: string;
  run: () => void | Promise<void>;
}

export interface Toast {
  id: number;
  kind: "info" | "success" | "error" | "warning";
  message: string;
  detail?: string;
  actions: ToastAction[];
  key?: string;
  persistent: boolean;
}

export interface ToastInput {
  kind?: Toast["kind"];
  message: string;
  detail?: string;
  actions?: ToastAction[];
  key?: string;
  /** Stays until dismissed. Errors are persistent unless this says otherwise. */
  persistent?: boolean;
  /** Milliseconds before a non-persistent toast goes. */
  timeout?: number;
}

class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;
  #timers = new Map<number, ReturnType<typeof setTimeout>>();

  show(input: ToastInput): number {
    const kind = input.kind ?? "info";
    const persistent = input.persistent ?? kind === "error";
    const toast: Toast = {
      id: this.#next++,
      kind,
      message: input.message,
      detail: input.detail,
      actions: input.actions ?? [],
      key: input.key,
      persistent,
    };
    if (input.key) this.items.filter((t) => t.key === input.key).forEach((t) => this.dismiss(t.id));
    this.items.push(toast);
    if (!persistent) {
      const timeout = input.timeout ?? (toast.actions.length ? 10000 : 5000);
      this.#timers.set(toast.id, setTimeout(() => this.dismiss(toast.id), timeout));
    }
    return toast.id;
  }

  /** Shows what went wrong with `e` (an ApiError or anything thrown), prefixed by `what`. */
  error(what: string, e: unknown, extra: Partial<ToastInput> = {}): number {
    const err = asApiError(e);
    const message = what ? `${what}: ${err.message}` : err.message;
    return this.show({ kind: "error", message, detail: errorDetail(err) || undefined, ...extra });
  }

  dismiss(id: number): void {
    const timer = this.#timers.get(id);
    if (timer) clearTimeout(timer);
    this.#timers.delete(id);
    const i = this.items.findIndex((t) => t.id === id);
    if (i >= 0) this.items.splice(i, 1);
  }

  dismissKey(key: string): void {
    this.items.filter((t) => t.key === key).forEach((t) => this.dismiss(t.id));
  }

  clear(): void {
    [...this.items].forEach((t) => this.dismiss(t.id));
  }
}

/** The app's toasts. */
export const toasts = new Toasts();
