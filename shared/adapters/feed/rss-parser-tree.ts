// The one place that knows how rss-parser 3.x walks the xml2js tree. rss-parser is used through
// its public options only, and its own field logic never runs on feed data: our mapping
// (xml-feed.ts) reads each entry's XML node as xml2js built it, carried out through `customFields`.
//
// Two readings, both through public options:
// - the usual one hides the entries from rss-parser (xml2js `tagNameProcessors` renames <item>
//   and <entry>) and takes them, untouched, as a custom field of the channel or feed: rss-parser
//   then only decides the format and reads the channel, and costs next to nothing per entry;
// - the reshaping one (xml2js `validator`, called as each element closes, which costs a fifth
//   more xml2js time) for what rss-parser cannot take: RDF (its items sit beside the channel),
//   RSS with <item>s outside <channel> or no <channel> at all, and anything the usual reading
//   throws a TypeError on (an Atom feed-level <link> with no attributes: `links[i].$.rel`).
// tests/unit/rss-parser-tree.test.ts pins the rss-parser behaviours this relies on and fails if a
// release changes them.
import Parser from "rss-parser";

export type XmlNode = Record<string, unknown>;

/** The key, in an entry's and a channel's tree, that holds the element as the XML had it. */
const RAW = "pact-watch:raw";
/** What the usual reading renames <item> and <entry> to, so that rss-parser walks past them. */
const HIDDEN_ITEM = "pact-watch:item";
const HIDDEN_ENTRY = "pact-watch:entry";

export interface ParsedTree {
  /** The <channel>, Atom <feed> or RDF channel element, children included (entries removed). */
  channel: XmlNode;
  /** The root element's attributes (xml:lang, xml:base on <feed>, version on <rss>). */
  rootAttributes: Record<string, string>;
  entries: XmlNode[];
}

type RssParserItem = { raw?: XmlNode };
type RssParserFeed = {
  raw?: XmlNode;
  rootAttributes?: Record<string, string>;
  hiddenItems?: unknown[];
  hiddenEntries?: unknown[];
};

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

function hideEntries(name: string): string {
  return name === "item" ? HIDDEN_ITEM : name === "entry" ? HIDDEN_ENTRY : name;
}

/** The channel's (RSS) or feed's (Atom) own children and attributes our mapping reads. */
const CHANNEL_FIELDS = ["$", "link", "language", "dc:language", "atom:link", "a10:link", "atom10:link"];

function channelNode(feed: RssParserFeed): XmlNode {
  const fields = feed as Record<string, unknown>;
  return Object.fromEntries(
    CHANNEL_FIELDS.flatMap((name) =>
      fields[`raw:${name}`] === undefined ? [] : [[name, fields[`raw:${name}`]]],
    ),
  );
}

// One parser of each kind per module: rss-parser keeps no per-document state between calls.
const usualParser = new Parser<RssParserFeed, RssParserItem>({
  // An <rss> without a version attribute is in the wild often enough; read it as RSS 2.0.
  defaultRSS: 2,
  xml2js: { tagNameProcessors: [hideEntries] },
  customFields: {
    feed: [
      [HIDDEN_ITEM, "hiddenItems", { keepArray: true }],
      [HIDDEN_ENTRY, "hiddenEntries", { keepArray: true }],
      ...CHANNEL_FIELDS.map((name) => [name, `raw:${name}`, { keepArray: true }]),
    ] as unknown as (keyof RssParserFeed)[],
  },
});

const reshapingParser = new Parser<RssParserFeed, RssParserItem>({
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

/** An <rss> root with attributes of its own beyond version and namespaces (xml:base, xml:lang). */
const RSS_ROOT_OWN_ATTRIBUTE = /<rss\s(?:[^>]*\s)?(?!version\b|xmlns\b|xmlns:)[\w:-]+\s*=/;
/** The root element's name, looked for where a prolog leaves it. */
const ROOT_NAME = /<((?:[\w-]+:)?(?:rss|feed|RDF))[\s>]/;
const ROOT_SEARCH_CHARS = 4096;

/**
 * Which documents the usual reading takes: Atom, and RSS whose items all sit in its <channel> and
 * whose root carries no xml:base or xml:lang (rss-parser hands over only the channel's fields).
 * RDF (items beside the channel), other RSS, and anything unrecognised get the reshaping reading.
 */
function usualReading(xml: string): "atom" | "rss" | undefined {
  const root = ROOT_NAME.exec(xml.slice(0, ROOT_SEARCH_CHARS))?.[1];
  if (root === "feed") return "atom";
  if (root !== "rss" || !/<channel[\s>]/.test(xml)) return undefined;
  if (RSS_ROOT_OWN_ATTRIBUTE.test(/<rss[\s>][^>]*>?/.exec(xml)?.[0] ?? "")) return undefined;
  const channelEnd = xml.lastIndexOf("</channel>");
  return channelEnd >= 0 && /<item[\s>/]/.test(xml.slice(channelEnd)) ? undefined : "rss";
}

/** Thrown for well-formed XML whose root is none of RSS, RDF or Atom. */
export class NotAFeedError extends Error {}

/**
 * The feed's tree: its channel and its entries as xml2js reads them. Rejects on malformed XML
 * (xml2js's error) and with NotAFeedError for XML that is not a feed.
 */
export async function parseTree(xml: string): Promise<ParsedTree> {
  const usual = usualReading(xml);
  if (usual) {
    try {
      const feed = await usualParser.parseString(xml);
      const channel = channelNode(feed);
      // An Atom <feed> is both root and channel; RSS's root attributes are not the channel's.
      const rootAttributes = usual === "atom" ? (asNode(channel.$) as Record<string, string>) : {};
      const entries = (usual === "atom" ? feed.hiddenEntries : feed.hiddenItems) ?? [];
      return { channel, rootAttributes, entries: entries.map(asNode) };
    } catch (error) {
      // rss-parser tripped over the tree: the reshaping reading hands it one it can walk.
      if (!(error instanceof TypeError)) throw asNotAFeed(error);
    }
  }
  let feed: RssParserFeed & { items?: RssParserItem[] };
  try {
    feed = await reshapingParser.parseString(xml);
  } catch (error) {
    throw asNotAFeed(error);
  }
  return {
    channel: asNode(feed.raw),
    rootAttributes: feed.rootAttributes ?? {},
    entries: (feed.items ?? []).map((item) => asNode(item.raw)),
  };
}

function asNotAFeed(error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  return /not recognized as RSS/i.test(message) ? new NotAFeedError(message) : error;
}
