// The one place that knows how rss-parser 3.x walks the xml2js tree. rss-parser is used through
// its public options only: `xml2js.validator` (xml2js's documented hook, called as each element
// closes) hands rss-parser a tree it cannot trip over, and `customFields` carries each entry's
// untouched XML node (and the channel's) through to our own mapping in xml-feed.ts.
//
// What the hook guards against, each a thing rss-parser does with the tree it is given (pinned by
// tests/unit/rss-parser-tree.test.ts, which fails if a new rss-parser release changes it):
// - RSS without <channel> (or with <item>s beside it) and RDF without <channel>: rss-parser reads
//   `channel[0]` and throws, or reads only the channel's items;
// - an Atom <published>/<updated> it cannot read: `new Date(text).toISOString()` throws and the
//   whole feed is lost;
// - an Atom <link> with no attributes (the URL as element text): `links[i].$.rel` throws.
// Every entry reaches rss-parser as `{ [RAW]: [node] }` and nothing else, so none of its field
// logic runs on feed data; it still decides the format and finds the entries.
import Parser from "rss-parser";

export type XmlNode = Record<string, unknown>;

/** The key, in an entry's and a channel's tree, that holds the element as the XML had it. */
const RAW = "pact-watch:raw";

export interface ParsedTree {
  /** The <channel>, Atom <feed> or RDF channel element, children included (entries removed). */
  channel: XmlNode;
  /** The root element's attributes (xml:lang, xml:base on <feed>, version on <rss>). */
  rootAttributes: Record<string, string>;
  entries: XmlNode[];
}

type RssParserItem = { raw?: XmlNode };
type RssParserFeed = { raw?: XmlNode; rootAttributes?: Record<string, string> };

/** Element paths (as xml2js builds them) of the entries of each format rss-parser reads. */
const ENTRY_PATHS = new Set(["/feed/entry", "/rss/channel/item", "/rss/item", "/rdf:RDF/item"]);

function asNode(value: unknown): XmlNode {
  return value !== null && typeof value === "object" ? (value as XmlNode) : {};
}

function nodes(value: unknown): XmlNode[] {
  return Array.isArray(value) ? value.map(asNode) : [];
}

function attributesOf(node: XmlNode): Record<string, string> {
  return asNode(node.$) as Record<string, string>;
}

/** xml2js's validator: reshapes entries and roots as they close, leaves every other node alone. */
function reshape(xpath: string, _previous: unknown, node: unknown): unknown {
  if (ENTRY_PATHS.has(xpath)) return { [RAW]: [asNode(node)] };
  if (xpath === "/feed") {
    const { entry, ...channel } = asNode(node);
    return { $: {}, entry: entry ?? [], [RAW]: [channel], rootAttributes: [attributesOf(asNode(node))] };
  }
  if (xpath === "/rss") {
    const root = asNode(node);
    const [first = {}] = nodes(root.channel);
    const { item: channelItems, ...channel } = first;
    const items = [...nodes(channelItems), ...nodes(root.item)];
    return {
      $: { ...attributesOf(root) },
      channel: [{ item: items, [RAW]: [channel], rootAttributes: [attributesOf(root)] }],
    };
  }
  if (xpath === "/rdf:RDF") {
    const root = asNode(node);
    const [channel = {}] = nodes(root.channel);
    return {
      item: nodes(root.item),
      channel: [{ [RAW]: [channel], rootAttributes: [attributesOf(root)] }],
    };
  }
  return node;
}

function createParser(): Parser<RssParserFeed, RssParserItem> {
  return new Parser<RssParserFeed, RssParserItem>({
    // An <rss> without a version attribute is in the wild often enough; read it as RSS 2.0.
    defaultRSS: 2,
    xml2js: { validator: reshape },
    customFields: {
      feed: [
        [RAW, "raw"],
        ["rootAttributes", "rootAttributes"],
      ] as unknown as (keyof RssParserFeed)[],
      item: [[RAW, "raw"]],
    },
  });
}

// One parser per module: rss-parser keeps no per-document state between parseString calls.
const rssParser = createParser();

/** Thrown for well-formed XML whose root is none of RSS, RDF or Atom. */
export class NotAFeedError extends Error {}

/**
 * The feed's tree: its channel and its entries as xml2js reads them. Rejects on malformed XML
 * (xml2js's error) and with NotAFeedError for XML that is not a feed.
 */
export async function parseTree(xml: string): Promise<ParsedTree> {
  let feed: RssParserFeed & { items?: RssParserItem[] };
  try {
    feed = await rssParser.parseString(xml);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/not recognized as RSS/i.test(message)) throw new NotAFeedError(message);
    throw error;
  }
  return {
    channel: asNode(feed.raw),
    rootAttributes: feed.rootAttributes ?? {},
    entries: (feed.items ?? []).map((item) => asNode(item.raw)),
  };
}
