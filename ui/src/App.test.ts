import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import App from "./App.svelte";
import { toasts } from "./lib/toasts.svelte";
import { library, opened, preview, templates } from "./lib/testing/fixtures";

vi.mock("./lib/pages", () => import("./lib/testing/pages-mock"));

afterEach(() => {
  cleanup();
  clearMocks();
  toasts.clear();
});

function setup() {
  const calls: string[] = [];
  mockIPC((cmd) => {
    calls.push(cmd);
    switch (cmd) {
      case "open_library":
        return library();
      case "load_pack":
        return opened();
      case "list_templates":
        return templates;
      case "render_preview":
        return preview();
      default:
        return null;
    }
  });
  render(App);
  return calls;
}

/** Dispatches Ctrl+A at `target` and says whether the window's default (select all) was stopped. */
function selectAll(target: EventTarget): boolean {
  const event = new KeyboardEvent("keydown", { key: "a", ctrlKey: true, bubbles: true, cancelable: true });
  target.dispatchEvent(event);
  return event.defaultPrevented;
}

describe("the window", () => {
  it("does not select the whole window with Ctrl+A, but does select a text field's text", async () => {
    setup();
    await screen.findAllByTestId("pack-row");
    expect(selectAll(document.body)).toBe(true);
    expect(selectAll(screen.getByTestId("new-pack"))).toBe(true);
    expect(selectAll(screen.getByTestId("search"))).toBe(false);
    const editable = document.createElement("div");
    editable.setAttribute("contenteditable", "true");
    document.body.append(editable);
    expect(selectAll(editable)).toBe(false);
    editable.remove();
  });

  it("asks in the window before leaving a pack whose edits cannot be saved", async () => {
    const calls = setup();
    const rows = await screen.findAllByTestId("pack-row");
    await fireEvent.click(within(rows[0]).getByRole("button", { name: "State threats and terrorism" }));
    const title = await screen.findByTestId("field-title");
    await fireEvent.input(title, { target: { value: "" } });
    await fireEvent.click(screen.getByTestId("back"));
    const dialog = await screen.findByTestId("leave-dialog");
    expect(dialog.textContent).toContain("Some fields hold something that is not valid yet");
    await fireEvent.click(within(dialog).getByTestId("confirm-cancel"));
    expect(screen.getByTestId("field-title")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("back"));
    await fireEvent.click(within(await screen.findByTestId("leave-dialog")).getByTestId("confirm-ok"));
    await screen.findAllByTestId("pack-row");
    expect(calls).not.toContain("save_pack");
    expect(calls.some((c) => c.startsWith("plugin:dialog"))).toBe(false);
  });

  it("goes back to the library with Ctrl+Shift+L once the pack is saved", async () => {
    setup();
    const rows = await screen.findAllByTestId("pack-row");
    await fireEvent.click(within(rows[0]).getByRole("button", { name: "State threats and terrorism" }));
    await screen.findByTestId("field-title");
    await fireEvent.keyDown(window, { key: "L", ctrlKey: true, shiftKey: true });
    await waitFor(() => expect(screen.getAllByTestId("pack-row")).toHaveLength(3));
  });
});
