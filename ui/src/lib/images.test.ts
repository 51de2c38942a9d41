import { describe, expect, it } from "vitest";
import { bodyImages, describeImage, escapeDescription, unescapeDescription } from "./images";

const paths = (markdown: string) => bodyImages(markdown).map((i) => i.path);

describe("images of an article body", () => {
  it("lists each image on its own line, with its path and description", () => {
    const body = "Intro.\n\n![](charts/threats.png)\n\n![A bar chart of plots disrupted](charts/plots.png \"Plots\")\n\nEnd.";
    expect(bodyImages(body).map(({ path, description, line }) => ({ path, description, line }))).toEqual([
      { path: "charts/threats.png", description: "", line: 2 },
      { path: "charts/plots.png", description: "A bar chart of plots disrupted", line: 4 },
    ]);
  });

  it("counts several images in one paragraph, and images in quotes and list items", () => {
    expect(paths("![](a.png)\n![](b.png)\n\n> ![](c.png)\n\n- ![](d.png)\n- ![x](<e f.png>)\n\n1. ![](g.png)")).toEqual(["a.png", "b.png", "c.png", "d.png", "e f.png", "g.png"]);
  });

  it("leaves images inside text alone", () => {
    expect(paths("See ![chart](a.png) here.\n\n![](b.png) and more\n\nA sentence\n![](c.png)\n\n![](d.png)\nwith text after\n\n![](e.png) ![](f.png)")).toEqual([]);
    // An image over a setext underline is a heading's text; under a heading it is a figure.
    expect(paths("![](a.png)\n---\n\n# Heading\n![](b.png)")).toEqual(["b.png"]);
  });

  it("ignores code blocks", () => {
    const body = "```markdown\n![](fenced.png)\n```\n\n~~~~\n![](tilde.png)\n```\n![](still-code.png)\n~~~~\n\n    ![](indented.png)\n\n![](real.png)";
    expect(paths(body)).toEqual(["real.png"]);
  });

  it("reads escaped brackets and backslashes in a description", () => {
    const [image] = bodyImages("![Threats \\[2025\\] C:\\\\data](a.png)\r\n");
    expect(image.description).toBe("Threats [2025] C:\\data");
    expect(image.path).toBe("a.png");
  });
});

describe("describing an image", () => {
  it("escapes what would end the description or become formatting", () => {
    expect(escapeDescription("Plots [2020–25] ]")).toBe("Plots \\[2020–25\\] \\]");
    expect(escapeDescription("C:\\data\\")).toBe("C:\\\\data\\\\");
    expect(escapeDescription("*not* `code` <b> _x_ snake_case &amp; R&D")).toBe("\\*not\\* \\`code\\` \\<b> \\_x\\_ snake_case \\&amp; R&D");
    expect(escapeDescription("two\nlines")).toBe("two lines");
    for (const text of ["Plots [2020–25] ]", "C:\\data\\", "a \\] b", "*x* _y_ `z` <b> &amp;"]) expect(unescapeDescription(escapeDescription(text))).toBe(text);
  });

  it("rewrites only the chosen image's description", () => {
    const body = "Intro with ![inline](x.png).\n\n![](a.png)\n\n```\n![](code.png)\n```\n\n> ![old](b.png \"Title\")\n";
    const once = describeImage(body, 1, "Chart [final] \\ v2");
    expect(once).toBe("Intro with ![inline](x.png).\n\n![](a.png)\n\n```\n![](code.png)\n```\n\n> ![Chart \\[final\\] \\\\ v2](b.png \"Title\")\n");
    const twice = describeImage(once, 0, "Map");
    expect(twice).toBe(once.replace("![](a.png)", "![Map](a.png)"));
    expect(bodyImages(twice).map((i) => i.description)).toEqual(["Map", "Chart [final] \\ v2"]);
    // Clearing a description leaves the image without one.
    expect(describeImage(twice, 0, "")).toBe(once);
    expect(describeImage(body, 5, "Nothing")).toBe(body);
  });

  it("keeps Windows line endings", () => {
    expect(describeImage("Text\r\n\r\n![](a.png)\r\nMore", 0, "A")).toBe("Text\r\n\r\n![](a.png)\r\nMore");
    expect(describeImage("Text\r\n\r\n![](a.png)\r\n\r\nMore", 0, "A")).toBe("Text\r\n\r\n![A](a.png)\r\n\r\nMore");
  });
});
