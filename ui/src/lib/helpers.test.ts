import { describe, expect, it } from "vitest";
import { escapeHtml, renderMarkdown } from "./markdown";
import { documentProblems, httpsProblem, isIsoDate, languageTagProblem, linkErrors, parseNumber, statisticErrors } from "./validate";
import { locateProblem, tabsFor } from "./problems";
import { fileLine, formatDate, location, slug, wordCount } from "./format";
import { sampleDocument, diagnostic } from "./testing/fixtures";

describe("markdown preview", () => {
  it("escapes before adding markup", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    const html = renderMarkdown('<img src=x onerror="alert(1)"> and **<b>bold</b>**');
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    expect(html).toContain("<strong>&lt;b&gt;bold&lt;/b&gt;</strong>");
  });

  it("renders headings, paragraphs, lists, quotes and emphasis", () => {
    const html = renderMarkdown("## Title\n\nOne *two* `three`\nfour\n\n- a\n- b\n\n1. x\n2. y\n\n> quoted");
    expect(html).toBe(
      "<h2>Title</h2>\n<p>One <em>two</em> <code>three</code>\nfour</p>\n<ul><li>a</li><li>b</li></ul>\n<ol><li>x</li><li>y</li></ol>\n<blockquote><p>quoted</p></blockquote>",
    );
  });

  it("shows links as text, never as anchors", () => {
    const html = renderMarkdown("[NCSC](https://www.ncsc.gov.uk)");
    expect(html).not.toContain("<a");
    expect(html).toContain("https://www.ncsc.gov.uk");
  });
});

describe("validation", () => {
  it("parses numbers", () => {
    expect(parseNumber("35")).toBe(35);
    expect(parseNumber(" -4.2 ")).toBe(-4.2);
    expect(parseNumber("1,200")).toBe(1200);
    expect(parseNumber("35%")).toBeNull();
    expect(parseNumber("")).toBeNull();
    expect(parseNumber("abc")).toBeNull();
  });

  it("accepts only real dates", () => {
    expect(isIsoDate("2025-10-16")).toBe(true);
    expect(isIsoDate("2025-02-30")).toBe(false);
    expect(isIsoDate("16/10/2025")).toBe(false);
  });

  it("wants https addresses with a host name", () => {
    expect(httpsProblem("https://www.ncsc.gov.uk")).toBeNull();
    expect(httpsProblem("http://www.ncsc.gov.uk")).toMatch(/https/);
    expect(httpsProblem("https://localhost")).toMatch(/host name/);
    expect(httpsProblem("ncsc")).toMatch(/web address/);
  });

  it("gives each statistic problem its own field", () => {
    const doc = sampleDocument();
    const stat = { ...doc.statistics[0], id: "late-stage-plots-disrupted", as_of: "2025-13-01", source_url: "ftp://x.org", grade: "Z9", label: "" };
    const errors = statisticErrors(stat, [stat, doc.statistics[1]], "lots");
    expect(Object.keys(errors).sort()).toEqual(["as_of", "grade", "id", "label", "source_url", "value"]);
    expect(errors.id).toBe('Another statistic already uses the id "late-stage-plots-disrupted"');
    expect(errors.value).toBe("Value must be a number, like 35 or 4.2");
    expect(errors.as_of).toBe("As of must be a date like 2025-10-16");
    expect(statisticErrors(doc.statistics[0], doc.statistics)).toEqual({});
  });

  it("checks links", () => {
    const link = { id: "", title: "", url: "http://x.gov.uk", organisation: null, use_for: null, audience: null };
    expect(Object.keys(linkErrors(link, [link])).sort()).toEqual(["id", "title", "url"]);
  });

  it("takes language tags as the core does", () => {
    for (const tag of ["en-GB", "cy", "fr-FR", "gsw", "zh-Hant-TW", "es-419", "sl-rozaj-biske"]) expect(languageTagProblem(tag), tag).toBeNull();
    for (const tag of ["english", "e", "en_GB", "1a", "en-", "en--GB", "en-GB ", "en-toolongsubtag"]) expect(languageTagProblem(tag), tag).not.toBeNull();
    const doc = sampleDocument();
    doc.meta.language = "en_GB";
    expect(documentProblems(doc).map((d) => [d.severity, d.field, d.message])).toEqual([
      ["error", "language", "“en_GB” is not a language tag: a language tag starts with a two- or three-letter language code"],
    ]);
    doc.meta.language = null;
    expect(documentProblems(doc)).toEqual([]);
    doc.articles[0].article.meta.language = "Welsh";
    expect(documentProblems(doc).map((d) => [d.severity, d.file, d.field])).toEqual([["error", `articles/${doc.articles[0].id}.md`, "language"]]);
  });
});

describe("locating problems", () => {
  it("maps 1-based field paths to tabs, items and inputs", () => {
    expect(locateProblem(diagnostic("statistics[2].as_of", "stale"))).toEqual({ tab: "statistics", index: 1, article: null, inputId: "f-statistics-1-as_of", itemId: "f-statistics-1" });
    expect(locateProblem(diagnostic("title", "empty"))).toEqual({ tab: "details", index: null, article: null, inputId: "f-meta-title" });
    expect(locateProblem(diagnostic("summary", "x"))!.tab).toBe("summary");
    expect(locateProblem(diagnostic("links[1].url", "x"))!.inputId).toBe("f-links-0-url");
    expect(locateProblem(diagnostic("sections[3].article", "x"))!.inputId).toBe("f-sections-2-article");
    // Recipients and the distribution settings are fixed in the Distribution tab.
    expect(locateProblem(diagnostic("recipients[2].name", "x"))).toEqual({ tab: "distribution", index: 1, article: null, inputId: "f-recipients-1-name", itemId: "f-recipients-1" });
    expect(locateProblem(diagnostic("distribution", "x"))).toEqual({ tab: "distribution", index: null, article: null, inputId: "f-meta-distribution" });
    // The language is set in Details; the accessible and archival switches sit beside Export.
    expect(locateProblem(diagnostic("language", "x"))).toEqual({ tab: "details", index: null, article: null, inputId: "f-meta-language" });
    expect(locateProblem(diagnostic("archival", "x"))!.inputId).toBe("f-meta-archival");
    expect(locateProblem(diagnostic("body", "x", "warning", "/lib/p/articles/a.md"))!.inputId).toBe("f-article-a-body");
    expect(locateProblem(diagnostic("sections[2].statistics[1]", "x"))!.inputId).toBe("f-sections-1");
    expect(locateProblem(diagnostic("sections[4]", "x"))!.inputId).toBe("f-sections-3");
    expect(locateProblem(diagnostic("statistics[1].series[2].value", "x"))!.inputId).toBe("f-statistics-0-series-1-value");
    expect(locateProblem(diagnostic("recommendations[1].due", "x"))!.tab).toBe("recommendations");
    expect(locateProblem(diagnostic("objectives[2]", "x"))!.inputId).toBe("f-objectives-1");
    expect(locateProblem(diagnostic(null, "x"))!.tab).toBe("details");
    expect(locateProblem(diagnostic(null, "x", "error", "/lib/p/templates/board-briefing/template.md"))!.inputId).toBe("f-meta-template");
    expect(locateProblem(diagnostic("key_points[2]", "x", "error", "/lib/p/articles/a.md"))!.inputId).toBe("f-article-a-key_points-1");
  });

  it("takes each editorial problem to the field that fixes it", () => {
    const at = (field: string, file?: string) => {
      const place = locateProblem(diagnostic(field, "editorial", "warning", file))!;
      return [place.tab, place.inputId];
    };
    expect(at("summary")).toEqual(["summary", "f-meta-summary"]);
    expect(at("recommendations[2].owner")).toEqual(["recommendations", "f-recommendations-1-owner"]);
    expect(at("recommendations[3].due")).toEqual(["recommendations", "f-recommendations-2-due"]);
    expect(at("recommendations[1].text")).toEqual(["recommendations", "f-recommendations-0-text"]);
    expect(at("statistics[1].grade")).toEqual(["statistics", "f-statistics-0-grade"]);
    expect(at("sections[2].body")).toEqual(["sections", "f-sections-1-body"]);
    expect(at("questions[1].answer")).toEqual(["questions", "f-questions-0-answer"]);
    expect(at("why_it_matters", "/lib/p/articles/edge-devices.md")).toEqual(["articles", "f-article-edge-devices-why_it_matters"]);
    expect(at("key_points[1]", "/lib/p/articles/edge-devices.md")).toEqual(["articles", "f-article-edge-devices-key_points-0"]);
    // A setting in [editorial] has no field in the editor yet: the Details tab.
    expect(at("editorial.long_sentence")).toEqual(["details", null]);
  });

  it("finds every problem the editor sees before saving at its field", () => {
    const doc = sampleDocument();
    expect(documentProblems(doc)).toEqual([]);
    doc.meta.title = " ";
    doc.statistics[1].label = "";
    doc.statistics[0].source_url = "http://www.mi5.gov.uk";
    doc.links[0].url = "ncsc";
    doc.recommendations[0].text = "";
    doc.questions.push({ text: "", answer: null, minutes: null });
    doc.sections.push({ kind: "markdown", body: "" }, { kind: "article", article: "gone" });
    doc.articles[0].article.meta.title = "";
    const found = documentProblems(doc).map((d) => [d.severity, d.file, d.field]);
    expect(found).toEqual([
      ["error", "pack.toml", "title"],
      ["warning", "pack.toml", "statistics[1].source_url"],
      ["error", "pack.toml", "statistics[2].label"],
      ["error", "pack.toml", "links[1].url"],
      ["error", "pack.toml", "recommendations[1].text"],
      ["error", "pack.toml", "questions[1].text"],
      ["error", "pack.toml", "sections[4].body"],
      ["error", "pack.toml", "sections[5].article"],
      ["warning", "articles/mi5-update.md", "title"],
    ]);
  });

  it("splits the tabs between what a template shows and More", () => {
    expect(tabsFor(["summary", "statistics", "article", "recommendations", "links"])).toEqual({
      shown: ["details", "summary", "sections", "articles", "statistics", "links", "recommendations", "distribution"],
      more: ["questions", "objectives"],
    });
    expect(tabsFor(null).more).toEqual([]);
  });

  it("sends problems in article files to the article", () => {
    const place = locateProblem(diagnostic("marking", "x", "error", "C:\\lib\\p\\articles\\mi5-update.md"));
    expect(place).toEqual({ tab: "articles", index: null, article: "mi5-update", inputId: "f-article-mi5-update-marking" });
  });
});

describe("formatting", () => {
  it("counts words, not markup", () => {
    expect(wordCount("**What changed.** MI5 reports a 35 per cent rise.\n\n- one\n- two")).toBe(11);
    expect(wordCount("")).toBe(0);
  });

  it("formats dates and locations", () => {
    expect(formatDate("2025-10-20")).toBe("20 Oct 2025");
    expect(location("/a/b/pack.toml", 3)).toBe("b/pack.toml:3");
    expect(location("/a/b/pack.toml", 0)).toBe("b/pack.toml");
    expect(location(null, 3)).toBe("");
    expect(fileLine("/home/u/Briefings/q1/pack.toml", 35)).toBe("pack.toml:35");
    expect(fileLine("C:\\Briefings\\q1\\articles\\a.md", 0)).toBe("a.md");
  });

  it("makes ids from titles", () => {
    expect(slug("NCSC: Board Toolkit — é")).toBe("ncsc-board-toolkit-e");
    expect(slug("Late-stage attack plots disrupted by MI5 and the police", 20)).toBe("late-stage-attack-pl");
  });
});

describe("reading dates", () => {
  it("reads the ways people in the UK write a date, day first", async () => {
    const { parseDate } = await import("./validate");
    expect(parseDate("20 Oct 2025")).toBe("2025-10-20");
    expect(parseDate("20 October 2025")).toBe("2025-10-20");
    expect(parseDate(" 3rd Sept, 2025 ")).toBe("2025-09-03");
    expect(parseDate("20/10/2025")).toBe("2025-10-20");
    expect(parseDate("1.2.25")).toBe("2025-02-01");
    expect(parseDate("20-10-2025")).toBe("2025-10-20");
    expect(parseDate("2025-10-20")).toBe("2025-10-20");
    expect(parseDate("2024-2-29")).toBe("2024-02-29");
  });

  it("refuses what is not a real date", async () => {
    const { parseDate } = await import("./validate");
    for (const text of ["", "20 Oc 2025", "31/04/2025", "2025-02-29", "10/20/2025", "Octember 3 2025", "20 Oct", "tomorrow"]) {
      expect(parseDate(text), text).toBeNull();
    }
  });
});
