// Malformed XML → well-formed XML with everything a lenient reader would still see: htmlparser2's
// forgiving tokenizer (xmlMode: names keep their case, no HTML rules) reads the document, and the
// events are written back out. Unclosed elements are closed where their parent ends or at the end
// of the document, end tags that close nothing are dropped, a stray `<` or `&` becomes text, and
// a root end tag cut short (`</rss`) costs nothing. Used only after the strict parse has failed.
import { Parser } from "htmlparser2";

/** An XML 1.0 name as feeds use them (ASCII letters, digits, `_ . - :`). */
const XML_NAME = /^[A-Za-z_][\w.:-]*$/;

export function repairXml(xml: string): string {
  const out: string[] = [];
  let depth = 0;
  let rootClosed = false;
  let inCdata = false;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (rootClosed || !XML_NAME.test(name)) return;
        depth++;
        let tag = `<${name}`;
        for (const [key, value] of Object.entries(attributes)) {
          if (XML_NAME.test(key)) tag += ` ${key}="${escapeAttribute(value)}"`;
        }
        out.push(`${tag}>`);
      },
      ontext(text) {
        if (depth === 0) return;
        out.push(inCdata ? text.replaceAll("]]>", "]]]]><![CDATA[>") : escapeText(text));
      },
      oncdatastart() {
        if (depth === 0) return;
        inCdata = true;
        out.push("<![CDATA[");
      },
      oncdataend() {
        if (!inCdata) return;
        inCdata = false;
        out.push("]]>");
      },
      onclosetag(name) {
        if (rootClosed || depth === 0 || !XML_NAME.test(name)) return;
        depth--;
        out.push(`</${name}>`);
        if (depth === 0) rootClosed = true;
      },
    },
    { xmlMode: true, decodeEntities: true, recognizeCDATA: true },
  );
  parser.end(xml);
  return out.join("");
}

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, "&quot;");
}
