import { describe, expect, it } from "vitest";
import { parseFeed } from "#shared/adapters/feed/parse.ts";
import { repairXml } from "#shared/adapters/feed/xml-repair.ts";
import type { RawFeed } from "#shared/domain/normalize.ts";

const ITEM_A = "<item><title>Alpha</title><link>https://example.com/a</link></item>";
const ITEM_B = "<item><title>Beta</title><link>https://example.com/b</link></item>";

async function feedOf(xml: string): Promise<RawFeed> {
  const parsed = await parseFeed(xml);
  if (!parsed.ok) throw new Error(`${parsed.reason}: ${parsed.message}`);
  return parsed.feed;
}

describe("parseFeed: malformed XML is salvaged and reported, never dropped", () => {
  it.each([
    ["a root end tag cut short", `<rss version="2.0"><channel>${ITEM_A}${ITEM_B}</channel></rss`],
    [
      "an unclosed element",
      `<rss version="2.0"><channel><item><title>Alpha</title><link>https://example.com/a</link><p></item>${ITEM_B}</channel></rss>`,
    ],
    [
      "a stray < in text",
      `<rss version="2.0"><channel>${ITEM_A}<item><title>Beta</title><link>https://example.com/b</link><description>1 < 2</description></item></channel></rss>`,
    ],
    ["the document ending mid-way", `<rss version="2.0"><channel>${ITEM_A}${ITEM_B}<item><title>Gam`],
  ])("%s: every readable item, marked degraded with the parser's complaint", async (_name, xml) => {
    const parsed = await parseFeed(xml);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.feed.items.slice(0, 2).map((item) => [item.title, item.link])).toEqual([
      ["Alpha", "https://example.com/a"],
      ["Beta", "https://example.com/b"],
    ]);
    expect(parsed.degraded).toMatchObject({ reason: "malformed-xml" });
    expect(parsed.degraded?.message).toMatch(/^Malformed XML: .+ \(read leniently\)$/);
  });

  it("reads well-formed XML strictly, with no degraded mark", async () => {
    const parsed = await parseFeed(`<rss version="2.0"><channel>${ITEM_A}</channel></rss>`);
    expect(parsed).toMatchObject({ ok: true, format: "rss" });
    expect(parsed.ok && parsed.degraded).toBeUndefined();
  });

  it("keeps XML in which nothing is readable a parse-error", async () => {
    expect(await parseFeed("<rss><channel><title>x</tit")).toMatchObject({
      ok: false,
      reason: "parse-error",
    });
  });

  it("reads a <!DOCTYPE inside CDATA as text and an XHTML DOCTYPE before <rss> as a feed", async () => {
    const cdata = await feedOf(
      "<rss><item><title>T</title><description><![CDATA[ <!DOCTYPE ]]></description></item></rss>",
    );
    expect(cdata.items[0]?.summaryHtml).toBe(" <!DOCTYPE ");
    const xhtml =
      '<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "x">' +
      `<rss version="2.0"><channel>${ITEM_A}</channel></rss>`;
    expect((await feedOf(xhtml)).items).toHaveLength(1);
    expect(await parseFeed("<!DOCTYPE html><html><body>page</body></html>")).toMatchObject({
      ok: false,
      reason: "not-a-feed",
    });
  });
});

describe("parseFeed: DOCTYPE entities", () => {
  it("expands an internal entity whose value is plain text", async () => {
    const xml =
      '<!DOCTYPE rss [ <!ENTITY id "tag:example.com,"> ]><rss version="2.0"><channel>' +
      "<item><title>T</title><guid>&id;2006:/blog/</guid></item></channel></rss>";
    expect((await feedOf(xml)).items[0]?.guid).toBe("tag:example.com,2006:/blog/");
  });

  it("never expands nested (billion laughs) or external (XXE) entities", async () => {
    const xml =
      '<!DOCTYPE rss [ <!ENTITY a "ha"> <!ENTITY b "&a;&a;&a;"> <!ENTITY x SYSTEM "file:///etc/passwd"> ]>' +
      '<rss version="2.0"><channel><item><title>&b; &x; &a;</title></item></channel></rss>';
    expect((await feedOf(xml)).items[0]?.title).toBe("&b; &x; ha");
  });

  it("stops expanding once the expansion budget is spent", async () => {
    const value = "x".repeat(200);
    const references = "&e;".repeat(1000);
    const xml = `<!DOCTYPE rss [ <!ENTITY e "${value}"> ]><rss version="2.0"><channel><item><title>${references}</title></item></channel></rss>`;
    const title = (await feedOf(xml)).items[0]?.title ?? "";
    expect(title.length).toBeLessThan(70 * 1024);
    expect(title).toContain("&e;");
  });
});

describe("parseFeed: Atom and RSS fields", () => {
  const atom = (entry: string, ns = "http://www.w3.org/2005/Atom") =>
    `<feed xmlns="${ns}"><entry>${entry}</entry></feed>`;

  it("decodes base64 content: HTML when the type says so, text otherwise", async () => {
    const html = Buffer.from("safe<script>alert(1)</script> <b>text</b>").toString("base64");
    const text = Buffer.from("Example <b>Atom</b>").toString("base64");
    const [item] = (
      await feedOf(
        atom(
          `<title mode="base64">${text}</title><summary type="text/html" mode="base64">${html}</summary>` +
            `<content type="application/octet-stream">\n${text}\n</content>`,
          "http://purl.org/atom/ns#",
        ),
      )
    ).items;
    expect(item?.summaryHtml).toBe("safe<script>alert(1)</script> <b>text</b>");
    expect(item?.title).toBe("Example &lt;b>Atom&lt;/b>");
    expect(item?.contentHtml).toBe("Example &lt;b>Atom&lt;/b>");
    expect(item?.escapedOnce).toEqual(["title", "contentHtml"]);
  });

  it("keeps inline markup in order, from xhtml, Atom 0.3 xml mode and naked markup alike", async () => {
    const [item] = (
      await feedOf(
        atom(
          '<title type="application/xhtml+xml" mode="xml"><div xmlns="http://www.w3.org/1999/xhtml">safe<script>x()</script> description</div></title>' +
            "<summary>Example <b>Atom</b> feed</summary>",
          "http://purl.org/atom/ns#",
        ),
      )
    ).items;
    expect(item?.title).toBe(
      '<div xmlns="http://www.w3.org/1999/xhtml">safe<script>x()</script> description</div>',
    );
    expect(item?.summaryHtml).toBe("Example <b>Atom</b> feed");
  });

  it("reads an Atom link given as element text, preferring the alternate", async () => {
    const [item] = (
      await feedOf(
        atom(
          '<link rel="enclosure">https://example.com/file.mp3</link><link rel="alternate">https://example.com/page</link>',
        ),
      )
    ).items;
    expect(item?.link).toBe("https://example.com/page");
  });

  it("marks Atom ids as IRIs, and reads dc:description as an RSS item's summary", async () => {
    expect((await feedOf(atom("<id>/relative/link</id><title>T</title>"))).items[0]).toMatchObject({
      guid: "/relative/link",
      guidIsIri: true,
    });
    const rss =
      '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item><dc:description>Example</dc:description></item></channel></rss>';
    expect((await feedOf(rss)).items[0]?.summaryHtml).toBe("Example");
  });
});

describe("repairXml", () => {
  it("writes well-formed XML: closes what is open, drops stray end tags and escapes stray characters", () => {
    expect(repairXml('<rss a="1"><channel><item><title>a & b < c</title></x></item><item>')).toBe(
      '<rss a="1"><channel><item><title>a &amp; b &lt; c</title></item><item></item></channel></rss>',
    );
    expect(repairXml("<r><![CDATA[<b>x</b>]]></r>trailing<other/>")).toBe("<r><![CDATA[<b>x</b>]]></r>");
  });
});
