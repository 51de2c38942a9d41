import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import HouseStyle from "./HouseStyle.svelte";
import Library from "./Library.svelte";
import Toasts from "./Toasts.svelte";
import { toasts } from "../toasts.svelte";
import { library, preview } from "../testing/fixtures";
import { recordIPC, type Answer } from "../testing/ipc";
import type { Diagnostic, HouseView, LibrarySettings } from "../../api";

vi.mock("../pages", () => import("../testing/pages-mock"));

afterEach(() => {
  cleanup();
  clearMocks();
  toasts.clear();
});

function settings(): LibrarySettings {
  return {
    organisation: "Northshire County Council",
    default_marking: "OFFICIAL",
    default_template: "board-briefing",
    font: "sans",
    logo: { file: "logo.png", alt: "Northshire County Council crest", in_header: true },
    colours: { heading: "#0B5D4B", accent: "#B5472B" },
  };
}

function houseView(overrides: Partial<HouseView> = {}): HouseView {
  return {
    settings: settings(),
    exists: true,
    path: "/home/adviser/Briefings/library.toml",
    diagnostics: [],
    templates: ["board-briefing", "training-handout"],
    ...overrides,
  };
}

function problem(field: string, message: string, hint: string | null = null): Diagnostic {
  return { severity: "error", file: "/home/adviser/Briefings/library.toml", line: 3, column: 1, field, message, hint };
}

function setup(answers: Record<string, Answer> = {}) {
  const calls = recordIPC(
    {
      house_style: () => houseView(),
      check_house_style: () => [],
      preview_house_style: () => preview(40),
      save_house_style: (args: Record<string, unknown>) => houseView({ settings: args.settings as LibrarySettings }),
      ...answers,
    },
    { fallback: null },
  );
  const onClose = vi.fn();
  render(HouseStyle, { packs: library().packs, onClose });
  render(Toasts);
  return { calls, onClose };
}

/** Waits for the check (and preview) the screen runs once typing pauses. */
async function settled(calls: { cmd: string }[], cmd = "check_house_style", count = 1) {
  await waitFor(() => expect(calls.filter((c) => c.cmd === cmd).length).toBeGreaterThanOrEqual(count), { timeout: 2000 });
}

describe("house style screen", () => {
  it("shows what library.toml says and previews the first usable pack", async () => {
    const { calls } = setup();
    const organisation = (await screen.findByTestId("house-organisation")) as HTMLInputElement;
    await waitFor(() => expect(organisation.value).toBe("Northshire County Council"));
    expect(screen.getByTestId("house-logo-file").textContent).toBe("logo.png");
    expect((screen.getByTestId("house-logo-alt") as HTMLInputElement).value).toBe("Northshire County Council crest");
    expect((screen.getByTestId("house-in-header") as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId("house-font-sans") as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId("house-accent") as HTMLInputElement).value).toBe("#B5472B");
    expect((screen.getByTestId("house-marking") as HTMLSelectElement).value).toBe("OFFICIAL");
    await settled(calls, "preview_house_style");
    const previewCall = calls.find((c) => c.cmd === "preview_house_style")!;
    expect(previewCall.args.name).toBe("mi5-threat-update-2025");
    expect(previewCall.args.settings).toEqual(settings());
    // The cover and the page after it (the two-page preview fixture).
    await waitFor(() => expect(screen.getByTestId("house-preview").dataset.pages).toBe("2"));
    expect((screen.getByTestId("house-save") as HTMLButtonElement).disabled).toBe(true);
  });

  it("shows the core's problem at its field and keeps Save off until it is fixed", async () => {
    const { calls } = setup({
      check_house_style: (args: Record<string, unknown>) => {
        const accent = (args.settings as LibrarySettings).colours?.accent;
        return accent === "teal" ? [problem("colours.accent", '`accent` must be a colour like "#1F3A5F", not "teal"')] : [];
      },
    });
    const accent = (await screen.findByTestId("house-accent")) as HTMLInputElement;
    await waitFor(() => expect(accent.value).toBe("#B5472B"));
    await fireEvent.input(accent, { target: { value: "teal" } });
    await settled(calls);
    const message = await screen.findByText('`accent` must be a colour like "#1F3A5F", not "teal"');
    expect(message.id).toBe("accent-error");
    expect(accent.getAttribute("aria-invalid")).toBe("true");
    expect((screen.getByTestId("house-save") as HTMLButtonElement).disabled).toBe(true);
    // The settings sent are the form's as typed: the core checks them as the file would be.
    expect(calls.filter((c) => c.cmd === "check_house_style").at(-1)!.args.settings).toMatchObject({ colours: { heading: "#0B5D4B", accent: "teal" } });
    await fireEvent.input(accent, { target: { value: "#7A1F2B" } });
    await waitFor(() => expect(screen.queryByText(/must be a colour/)).toBeNull(), { timeout: 2000 });
    expect((screen.getByTestId("house-save") as HTMLButtonElement).disabled).toBe(false);
  });

  it("saves only the edited settings, and Undo and Redo step through the edits", async () => {
    const { calls } = setup();
    const organisation = (await screen.findByTestId("house-organisation")) as HTMLInputElement;
    await waitFor(() => expect(organisation.value).toBe("Northshire County Council"));
    await fireEvent.input(organisation, { target: { value: "Southshire Borough" } });
    await fireEvent.click(screen.getByTestId("house-font-serif"));
    expect((screen.getByTestId("house-font-serif") as HTMLInputElement).checked).toBe(true);

    await fireEvent.click(screen.getByTestId("house-undo"));
    expect((screen.getByTestId("house-font-sans") as HTMLInputElement).checked).toBe(true);
    expect(organisation.value).toBe("Southshire Borough");
    await fireEvent.click(screen.getByTestId("house-redo"));
    expect((screen.getByTestId("house-font-serif") as HTMLInputElement).checked).toBe(true);

    await fireEvent.click(screen.getByTestId("house-save"));
    await settled(calls, "save_house_style");
    expect(calls.find((c) => c.cmd === "save_house_style")!.args.settings).toEqual({ ...settings(), organisation: "Southshire Borough", font: "serif" });
    expect(await screen.findByText(/Saved the house style/)).toBeTruthy();
    await waitFor(() => expect((screen.getByTestId("house-save") as HTMLButtonElement).disabled).toBe(true));
  });

  it("a picked logo fills the file, and a refused save shows each problem at its field", async () => {
    const { calls } = setup({
      house_style: () => houseView({ settings: { organisation: "Northshire", default_template: null, logo: null, colours: null, font: null }, exists: false }),
      pick_logo: () => "crest.png",
      save_house_style: () => {
        throw { kind: "invalid_settings", message: "library.toml:5:8: error: the logo `crest.png` is too large", file: null, line: 5, diagnostics: [problem("logo.file", "the logo `crest.png` is too large", "save it smaller")] };
      },
    });
    expect(await screen.findByText(/not created yet/)).toBeTruthy();
    expect(screen.queryByTestId("house-logo-alt")).toBeNull();
    await fireEvent.click(screen.getByTestId("house-choose-logo"));
    await waitFor(() => expect(screen.getByTestId("house-logo-file").textContent).toBe("crest.png"));
    expect((screen.getByTestId("house-logo-alt") as HTMLInputElement).value).toBe("Northshire logo");
    await settled(calls);
    await fireEvent.click(screen.getByTestId("house-save"));
    expect(await screen.findByText("the logo `crest.png` is too large (save it smaller)")).toBeTruthy();
    expect(calls.find((c) => c.cmd === "save_house_style")!.args.settings).toMatchObject({ logo: { file: "crest.png", alt: "Northshire logo", in_header: null } });
  });

  it("a library.toml that cannot be read is shown with its problems, not overwritten", async () => {
    setup({ house_style: () => houseView({ settings: null, diagnostics: [problem("font", '`font` cannot be "sanss"', 'did you mean "sans"?')] }) });
    const box = await screen.findByTestId("house-unreadable");
    expect(box.textContent).toContain('Line 3: `font` cannot be "sanss" (did you mean "sans"?)');
    expect((screen.getByTestId("house-save") as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByTestId("house-organisation")).toBeNull();
  });
});

describe("library view", () => {
  it("opens the house style screen and comes back to the packs", async () => {
    recordIPC({ open_library: () => library(), house_style: () => houseView(), check_house_style: () => [], preview_house_style: () => preview(40) }, { fallback: null });
    render(Library, { onOpen: vi.fn() });
    await screen.findAllByTestId("pack-row");
    await fireEvent.click(screen.getByTestId("show-house-style"));
    expect(await screen.findByTestId("house-style")).toBeTruthy();
    expect(screen.queryAllByTestId("pack-row")).toHaveLength(0);
    await fireEvent.click(screen.getByTestId("house-back"));
    expect(await screen.findAllByTestId("pack-row")).toHaveLength(3);
  });
});
