import { afterEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { drawPage, pageSize } from "./pages";
import { preview } from "./testing/fixtures";

afterEach(() => {
  clearMocks();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** Stands for the PNG `preview_page` sends (jsdom decodes no images). */
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]).buffer;

describe("preview pages painted by Rust", () => {
  it("asks for the page at the size shown, puts its picture on a canvas and lays its links over it", async () => {
    const asked: Record<string, unknown>[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== "preview_page") throw new Error(`unexpected ${cmd}`);
      asked.push(args as Record<string, unknown>);
      return PNG;
    });
    // jsdom has no image decoding or 2D canvas: record what would be drawn.
    const drawn: { width: number; height: number }[] = [];
    vi.stubGlobal("createImageBitmap", async (blob: Blob) => {
      expect([blob.type, blob.size]).toEqual(["image/png", PNG.byteLength]);
      return { width: 300, height: 424, close: () => {} };
    });
    vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue({
      drawImage: (image: { width: number; height: number }) => drawn.push({ width: image.width, height: image.height }),
    } as unknown as CanvasRenderingContext2D);

    const shown = preview();
    shown.build = 7;
    shown.pages[1].links = [
      { left: 0.1, top: 0.5, width: 0.4, height: 0.02, url: "https://www.npsa.gov.uk/", page: null },
      { left: 0.1, top: 0.6, width: 0.2, height: 0.02, url: null, page: 0 },
    ];
    const followed: unknown[] = [];
    const sheet = await drawPage(shown, 1, 300, (target) => followed.push(target));

    expect(asked).toEqual([{ build: 7, page: 1, width: 300 }]);
    expect(sheet.style.width).toBe("300px");
    expect(sheet.style.height).toBe(`${pageSize(shown.pages[1], 300).height}px`);
    const canvas = sheet.querySelector("canvas")!;
    expect([canvas.width, canvas.height]).toEqual([300, 424]);
    expect(canvas.getAttribute("aria-label")).toBe("Page 2 of 2");
    expect(drawn).toEqual([{ width: 300, height: 424 }]);

    const links = [...sheet.querySelectorAll<HTMLElement>(".pdf-link")];
    expect(links.map((l) => [l.style.left, l.style.width, l.dataset.url ?? l.dataset.page])).toEqual([
      ["30px", "120px", "https://www.npsa.gov.uk/"],
      ["30px", "60px", "1"],
    ]);
    // Following a link never navigates the webview: it only reports where the link goes.
    links[0].click();
    links[1].dispatchEvent(new KeyboardEvent("keydown", { key: "Enter" }));
    expect(followed).toEqual([{ url: "https://www.npsa.gov.uk/" }, { page: 0 }]);
    expect(links[0].getAttribute("href")).toBeNull();
  });

  it("keeps a landscape page's proportions", () => {
    expect(pageSize({ width: 841.89, height: 595.28, fingerprint: "", links: [] }, 400)).toEqual({ width: 400, height: 282 });
  });
});
