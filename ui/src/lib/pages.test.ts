import { afterEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { drawPage, pagePixels, pageSize } from "./pages";
import { preview } from "./testing/fixtures";

afterEach(() => {
  clearMocks();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** What `preview_page` sends: size, `colours` and an index per pixel; with no colours, RGBA pixels (all one grey). */
function painted(width: number, height: number, colours: number[] = []): ArrayBuffer {
  const body = colours.length ? 4 * colours.length + width * height : 4 * width * height;
  const bytes = new Uint8Array(12 + body).fill(colours.length ? 0 : 200);
  const words = new Uint32Array(bytes.buffer, 0, 3 + colours.length);
  words.set([width, height, colours.length, ...colours]);
  // Every other pixel takes the last colour.
  for (let i = 1; colours.length && i < width * height; i += 2) bytes[12 + 4 * colours.length + i] = colours.length - 1;
  return bytes.buffer;
}

describe("preview pages painted by Rust", () => {
  it("asks for the page at the size shown, puts its pixels on a canvas and lays its links over it", async () => {
    const asked: Record<string, unknown>[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== "preview_page") throw new Error(`unexpected ${cmd}`);
      asked.push(args as Record<string, unknown>);
      return painted(300, 424);
    });
    // jsdom has no 2D canvas or ImageData: record what would be drawn.
    const drawn: { width: number; height: number; first: number }[] = [];
    vi.stubGlobal("ImageData", class {
      constructor(public data: Uint8ClampedArray, public width: number, public height: number) {}
    });
    vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue({
      putImageData: (image: { data: Uint8ClampedArray; width: number; height: number }) => drawn.push({ width: image.width, height: image.height, first: image.data[0] }),
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
    expect(drawn).toEqual([{ width: 300, height: 424, first: 200 }]);

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

  it("reads a page sent as colours and an index per pixel", () => {
    vi.stubGlobal("ImageData", class {
      constructor(public data: Uint8ClampedArray, public width: number, public height: number) {}
    });
    // Little-endian RGBA: white paper and a dark red ink.
    const image = pagePixels(painted(2, 2, [0xffffffff, 0xff141eb4]));
    expect([image.width, image.height]).toEqual([2, 2]);
    expect([...image.data]).toEqual([255, 255, 255, 255, 180, 30, 20, 255, 255, 255, 255, 255, 180, 30, 20, 255]);
  });

  it("keeps a landscape page's proportions", () => {
    expect(pageSize({ width: 841.89, height: 595.28, fingerprint: "", links: [] }, 400)).toEqual({ width: 400, height: 282 });
  });
});
