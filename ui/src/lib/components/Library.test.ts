import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Library from "./Library.svelte";
import Toasts from "./Toasts.svelte";
import { toasts } from "../toasts.svelte";
import { library } from "../testing/fixtures";

afterEach(() => {
  cleanup();
  clearMocks();
  toasts.clear();
});

function setup(answers: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    if (answers[cmd]) return answers[cmd](args);
    if (cmd === "open_library") return library();
    return null;
  });
  const onOpen = vi.fn();
  render(Library, { onOpen });
  render(Toasts);
  return { calls, onOpen };
}

describe("library view", () => {
  it("lists the packs with title, date, marking, last modified, and the library path", async () => {
    setup();
    const rows = await screen.findAllByTestId("pack-row");
    expect(rows.map((r) => r.dataset.name)).toEqual(["mi5-threat-update-2025", "board-q3", "broken-pack"]);
    expect(screen.getByTestId("library-path").textContent).toBe("/home/adviser/Briefings");
    const first = within(rows[0]);
    expect(first.getByText("State threats and terrorism")).toBeTruthy();
    expect(first.getByText("20 Oct 2025")).toBeTruthy();
    expect(first.getByTestId("marking-chip").textContent).toBe("TLP:AMBER");
    expect(rows[0].textContent).toMatch(/21 Oct 2025, \d\d:\d\d/);
    expect(within(rows[1]).getByTestId("marking-chip").textContent).toBe("OFFICIAL-SENSITIVE");
  });

  it("shows a broken pack's problem in its row instead of breaking the list", async () => {
    setup();
    const rows = await screen.findAllByTestId("pack-row");
    const broken = rows.find((r) => r.dataset.name === "broken-pack")!;
    const problem = within(broken).getByTestId("pack-problem");
    expect(problem.textContent).toBe("broken-pack/pack.toml:3: `date` must be a date like 2025-10-16");
    expect(problem.className).toContain("pack-problem");
    expect(within(broken).queryByTestId("marking-chip")).toBeNull();
    // The other packs are still listed and usable.
    expect(rows).toHaveLength(3);
    expect(within(rows[0]).getByRole("button", { name: "Duplicate State threats and terrorism" })).toHaveProperty("disabled", false);
  });

  it("filters by title as the user types in the search box", async () => {
    setup();
    await screen.findAllByTestId("pack-row");
    await fireEvent.input(screen.getByTestId("search"), { target: { value: "quarterly" } });
    const rows = screen.getAllByTestId("pack-row");
    expect(rows.map((r) => r.dataset.name)).toEqual(["board-q3"]);
    await fireEvent.input(screen.getByTestId("search"), { target: { value: "nothing like this" } });
    expect(screen.queryAllByTestId("pack-row")).toHaveLength(0);
    expect(screen.getByText(/No pack title contains/)).toBeTruthy();
  });

  it("creates a pack from the New pack dialog and opens it", async () => {
    const { calls, onOpen } = setup({ create_pack: () => "board-q4" });
    await screen.findAllByTestId("pack-row");
    await fireEvent.click(screen.getByTestId("new-pack"));
    const title = screen.getByTestId("new-pack-title");
    expect(document.activeElement).toBe(title);
    await fireEvent.click(screen.getByTestId("new-pack-create"));
    expect(screen.getByText("Give the pack a title")).toBeTruthy();
    await fireEvent.input(title, { target: { value: "Board Q4" } });
    await fireEvent.click(screen.getByTestId("new-pack-create"));
    await waitFor(() => expect(onOpen).toHaveBeenCalledWith("board-q4"));
    expect(calls.find((c) => c.cmd === "create_pack")!.args).toEqual({ title: "Board Q4" });
  });

  it("opens the New pack dialog with Ctrl+N and focuses search with Ctrl+F", async () => {
    setup();
    await screen.findAllByTestId("pack-row");
    await fireEvent.keyDown(window, { key: "f", ctrlKey: true });
    expect(document.activeElement).toBe(screen.getByTestId("search"));
    await fireEvent.keyDown(window, { key: "n", ctrlKey: true });
    expect(screen.getByRole("dialog", { name: "New pack" })).toBeTruthy();
  });

  it("deletes to the trash, then Undo restores the pack", async () => {
    const { calls } = setup({ delete_pack: () => "board-q3", restore_pack: () => "board-q3" });
    const rows = await screen.findAllByTestId("pack-row");
    await fireEvent.click(within(rows[1]).getByRole("button", { name: "Delete Quarterly board pack" }));
    const toast = await screen.findByTestId("toast");
    expect(toast.textContent).toContain("Moved “Quarterly board pack” to the library’s trash.");
    await fireEvent.click(within(toast).getByRole("button", { name: "Undo" }));
    await screen.findByText("Restored “Quarterly board pack”.");
    expect(calls.find((c) => c.cmd === "delete_pack")!.args).toEqual({ name: "board-q3" });
    expect(calls.find((c) => c.cmd === "restore_pack")!.args).toEqual({ trashed: "board-q3" });
    expect(calls.filter((c) => c.cmd === "open_library").length).toBeGreaterThanOrEqual(3);
  });

  it("shows an error toast when the library cannot be read", async () => {
    setup({
      open_library: () => {
        throw { kind: "io", message: "cannot read /nowhere", file: "/nowhere", line: null, diagnostics: [] };
      },
    });
    const toast = await screen.findByTestId("toast");
    expect(toast.textContent).toContain("Could not open the library: cannot read /nowhere");
    expect(toast.dataset.kind).toBe("error");
  });

  it("opens another library chosen in the folder dialog", async () => {
    const { calls } = setup({ "plugin:dialog|open": () => "/media/share/packs" });
    await screen.findAllByTestId("pack-row");
    await fireEvent.click(screen.getByRole("button", { name: "Open library…" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "open_library" && c.args.path === "/media/share/packs")).toBe(true));
    const dialog = calls.find((c) => c.cmd === "plugin:dialog|open")!;
    expect((dialog.args.options as { directory: boolean }).directory).toBe(true);
  });
});
