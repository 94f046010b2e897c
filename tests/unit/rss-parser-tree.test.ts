// Pins what rss-parser-tree.ts relies on: the rss-parser behaviours its xml2js hook guards against
// and the public options its usual reading uses (if a release changes them, these fail and the
// adapter should be revisited), and that both readings hand every entry through untouched.
import Parser from "rss-parser";
import { describe, expect, it } from "vitest";
import { NotAFeedError, parseTree } from "#shared/adapters/feed/rss-parser-tree.ts";

const NO_CHANNEL = '<rss version="2.0"><item><title>Stray</title></item></rss>';
const RDF_NO_CHANNEL =
  '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">' +
  '<item rdf:about="https://example.com/1"><title>One</title></item></rdf:RDF>';
const ATOM_BAD_DATE =
  '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>T</title><published>yesterday</published></entry></feed>';
const ATOM_TEXT_LINK =
  '<feed xmlns="http://purl.org/atom/ns#"><entry><title>T</title><link>https://example.com/a</link></entry></feed>';

describe("rss-parser 3.13 as rss-parser-tree.ts finds it", () => {
  it.each([
    ["RSS without <channel>", NO_CHANNEL],
    ["RDF without <channel>", RDF_NO_CHANNEL],
    ["an Atom date it cannot read", ATOM_BAD_DATE],
    ["an Atom link given as element text", ATOM_TEXT_LINK],
  ])("on its own, loses the whole feed to %s", async (_name, xml) => {
    await expect(new Parser().parseString(xml)).rejects.toThrow();
  });

  it("on its own, reads only the items inside the channel", async () => {
    const xml =
      '<rss version="2.0"><channel><item><title>In</title></item></channel><item><title>Out</title></item></rss>';
    const feed = await new Parser().parseString(xml);
    expect(feed.items.map((item) => item.title)).toEqual(["In"]);
  });
});

describe("rss-parser 3.13's public options, as the usual reading uses them", () => {
  const hide = (name: string) => (name === "item" ? "hidden:item" : name);
  const xml =
    '<rss version="2.0" xml:lang="ko"><channel><link>https://example.com/</link>' +
    "<item><title>One</title></item><item><title>Two</title></item></channel></rss>";

  it("passes xml2js's tagNameProcessors through, and a renamed <item> is no item of its own", async () => {
    const parser = new Parser({ xml2js: { tagNameProcessors: [hide] } });
    expect((await parser.parseString(xml)).items).toEqual([]);
  });

  it("copies a channel field named in customFields.feed, every occurrence with keepArray", async () => {
    const parser = new Parser<{ hidden: unknown[] }>({
      xml2js: { tagNameProcessors: [hide] },
      customFields: { feed: [["hidden:item", "hidden", { keepArray: true }]] as unknown as "hidden"[] },
    });
    expect((await parser.parseString(xml)).hidden).toEqual([{ title: ["One"] }, { title: ["Two"] }]);
  });

  it("hands over no attribute of the <rss> root (so parseTree reshapes such a feed)", async () => {
    const feed = await new Parser().parseString(xml);
    expect(JSON.stringify(feed)).not.toContain('"ko"');
  });
});

describe("parseTree", () => {
  it("reads plain RSS 2.0 and Atom entries, untouched, with the channel's own fields", async () => {
    const rss = await parseTree(
      '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><link>https://example.com/</link>' +
        "<dc:language>ru</dc:language><item><title>One</title><guid>1</guid></item><item><title>Two</title></item>" +
        "</channel></rss>",
    );
    expect(rss.entries).toEqual([{ title: ["One"], guid: ["1"] }, { title: ["Two"] }]);
    expect(rss.channel).toEqual({ link: ["https://example.com/"], "dc:language": ["ru"] });
    const atom = await parseTree(
      '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>F</title><entry><title>One</title>' +
        '<published>yesterday</published></entry><entry><title type="html">Two</title></entry></feed>',
    );
    expect(atom.entries).toEqual([
      { title: ["One"], published: ["yesterday"] },
      { title: [{ _: "Two", $: { type: "html" } }] },
    ]);
    expect(atom.rootAttributes["xml:lang"]).toBe("en");
  });

  it("keeps xml:base and xml:lang of an <rss> root", async () => {
    const tree = await parseTree(
      '<rss version="2.0" xml:base="https://example.com/news/" xml:lang="ko"><channel>' +
        "<item><title>One</title></item></channel></rss>",
    );
    expect(tree.rootAttributes).toMatchObject({ "xml:base": "https://example.com/news/", "xml:lang": "ko" });
    expect(tree.entries).toEqual([{ title: ["One"] }]);
  });

  it("hands over every entry as xml2js read it, whatever rss-parser would choke on", async () => {
    const stray = await parseTree(NO_CHANNEL);
    expect(stray.entries).toEqual([{ title: ["Stray"] }]);
    const rdf = await parseTree(RDF_NO_CHANNEL);
    expect(rdf.entries).toEqual([{ $: { "rdf:about": "https://example.com/1" }, title: ["One"] }]);
    expect((await parseTree(ATOM_BAD_DATE)).entries).toEqual([{ title: ["T"], published: ["yesterday"] }]);
    expect((await parseTree(ATOM_TEXT_LINK)).entries).toEqual([
      { title: ["T"], link: ["https://example.com/a"] },
    ]);
  });

  it("keeps the channel's items and the stray ones, in document order, and the channel itself", async () => {
    const xml =
      '<rss version="0.91" xml:lang="ko"><channel><link>https://example.com/</link><item><title>In</title></item>' +
      "</channel><item><title>Out</title></item></rss>";
    const tree = await parseTree(xml);
    expect(tree.entries.map((entry) => entry.title)).toEqual([["In"], ["Out"]]);
    expect(tree.channel.link).toEqual(["https://example.com/"]);
    expect(tree.rootAttributes).toEqual({ version: "0.91", "xml:lang": "ko" });
  });

  it("keeps the Atom feed's own elements and attributes apart from its entries", async () => {
    const xml =
      '<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.com/"><link href="/"/>' +
      "<entry><id>1</id></entry><entry><id>2</id></entry></feed>";
    const tree = await parseTree(xml);
    expect(tree.entries).toEqual([{ id: ["1"] }, { id: ["2"] }]);
    expect(tree.channel.link).toEqual([{ $: { href: "/" } }]);
    expect(tree.rootAttributes["xml:base"]).toBe("https://example.com/");
  });

  it("says NotAFeedError for XML that is none of RSS, RDF or Atom, and rejects malformed XML", async () => {
    await expect(parseTree("<html><body/></html>")).rejects.toBeInstanceOf(NotAFeedError);
    await expect(parseTree("<rss><channel><item></channel></rss>")).rejects.not.toBeInstanceOf(NotAFeedError);
  });
});
