import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import {
  charsetFromContentType,
  decodeBody,
  encodingFromProlog,
  prepareXmlText,
  supportedEncoding,
} from "#shared/adapters/feed/decode.ts";

const ascii = (text: string) => Buffer.from(text, "latin1");
// "Путин" in windows-1251 and in koi8-r (from the WHATWG index tables).
const PUTIN_1251 = [0xcf, 0xf3, 0xf2, 0xe8, 0xed];
const PUTIN_KOI8 = [0xf0, 0xd5, 0xd4, 0xc9, 0xce];

function doc(prolog: string, body: number[]): Buffer {
  return Buffer.concat([ascii(`${prolog}<t>`), Buffer.from(body), ascii("</t>")]);
}

describe("decodeBody", () => {
  it("prefers a BOM over the header and the prolog", () => {
    // Prepare
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('<?xml encoding="koi8-r"?><t>Путин</t>'),
    ]);
    // Act
    const decoded = decodeBody(bytes, "text/xml; charset=windows-1251");
    // Assess
    expect(decoded).toMatchObject({ encoding: "utf-8", source: "bom" });
    expect(decoded.text).toBe('<?xml encoding="koi8-r"?><t>Путин</t>');
  });

  it("decodes UTF-16 by its BOM, little and big endian, and strips the BOM", () => {
    const le = Buffer.from("\uFEFF<t>평양</t>", "utf16le");
    const be = Buffer.from("\uFEFF<t>평양</t>", "utf16le").swap16();
    expect(decodeBody(le).text).toBe("<t>평양</t>");
    expect(decodeBody(be)).toMatchObject({ text: "<t>평양</t>", encoding: "utf-16be" });
  });

  it("recognises BOM-less UTF-16 by its prolog pattern", () => {
    const bytes = Buffer.from('<?xml version="1.0" encoding="UTF-16"?><t>Ким</t>', "utf16le");
    expect(decodeBody(bytes)).toMatchObject({ encoding: "utf-16le", source: "prolog" });
    expect(decodeBody(bytes).text).toContain("<t>Ким</t>");
  });

  it("takes the header charset over a disagreeing prolog", () => {
    const bytes = doc('<?xml version="1.0" encoding="koi8-r"?>', PUTIN_1251);
    const decoded = decodeBody(bytes, 'application/rss+xml; charset="Windows-1251"');
    expect(decoded).toMatchObject({ encoding: "windows-1251", source: "header" });
    expect(decoded.text).toContain("<t>Путин</t>");
  });

  it("uses the prolog when the header has no charset", () => {
    const decoded = decodeBody(doc('<?xml version="1.0" encoding="KOI8-R"?>', PUTIN_KOI8), "application/xml");
    expect(decoded).toMatchObject({ encoding: "koi8-r", source: "prolog" });
    expect(decoded.text).toContain("Путин");
  });

  it("trusts the prolog over a header that claims UTF-8 for bytes that are not", () => {
    const decoded = decodeBody(
      doc('<?xml version="1.0" encoding="windows-1251"?>', PUTIN_1251),
      "text/xml; charset=utf-8",
    );
    expect(decoded).toMatchObject({ encoding: "windows-1251", source: "prolog" });
  });

  it("keeps valid undeclared UTF-8 and falls back to windows-1252 otherwise", () => {
    expect(decodeBody(Buffer.from("<t>Пхеньян</t>"))).toMatchObject({
      text: "<t>Пхеньян</t>",
      source: "utf8-valid",
    });
    const fallback = decodeBody(
      Buffer.from([0x3c, 0x74, 0x3e, 0x93, 0x80, 0x94, 0xe9, 0x3c, 0x2f, 0x74, 0x3e]),
    );
    expect(fallback).toMatchObject({ encoding: "windows-1252", source: "fallback" });
    expect(fallback.text).toBe("<t>\u201c\u20ac\u201dé</t>");
  });

  it("detects the charset of an undeclared feed that is not UTF-8, and says so", () => {
    const russian = "Путин и Ким Чен Ын подписали договор о всеобъемлющем стратегическом партнёрстве";
    const korean = "북한과 러시아가 포괄적 전략적 동반자 관계 조약을 체결했다고 조선중앙통신이 보도했다";
    for (const [text, encoding] of [
      [russian, "windows-1251"],
      [russian, "koi8-r"],
      [korean, "euc-kr"],
    ] as const) {
      const bytes = Buffer.concat([
        ascii("<rss><item><title>"),
        iconv.encode(text, encoding),
        ascii("</title>"),
      ]);
      const decoded = decodeBody(bytes, "text/xml");
      expect(decoded).toMatchObject({ encoding, source: "detected" });
      expect(decoded.text).toContain(text);
    }
  });

  it("reads UTF-32 by its BOM and by its prolog pattern, both byte orders", () => {
    const xml = '<?xml version="1.0" encoding="utf-32"?><t>평양</t>';
    const be = iconv.encode(xml, "utf-32be");
    const le = iconv.encode(xml, "utf-32le");
    expect(decodeBody(be)).toMatchObject({ text: xml, encoding: "utf-32be", source: "prolog" });
    expect(decodeBody(le)).toMatchObject({ text: xml, encoding: "utf-32le", source: "prolog" });
    const withBom = Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), le]);
    expect(decodeBody(withBom, "text/xml; charset=utf-8")).toMatchObject({ text: xml, source: "bom" });
  });

  it("ignores unknown charset labels and moves on to the next source", () => {
    const decoded = decodeBody(
      doc('<?xml version="1.0" encoding="windows-1251"?>', PUTIN_1251),
      "text/xml; charset=x-klingon",
    );
    expect(decoded.source).toBe("prolog");
  });

  it("treats an ASCII-readable prolog that claims UTF-16 as UTF-8", () => {
    const decoded = decodeBody(Buffer.from('<?xml version="1.0" encoding="utf-16"?><t>Ким</t>'));
    expect(decoded).toMatchObject({
      encoding: "utf-8",
      text: '<?xml version="1.0" encoding="utf-16"?><t>Ким</t>',
    });
  });

  it("reads euc-kr as windows-949, Hangul syllables outside KS X 1001 included", () => {
    // Prepare: 똠 (0x8C63) and 햏 (0xC164) exist only in the UHC extension; 가 (0xB0A1) in both.
    const bytes = doc('<?xml version="1.0" encoding="EUC-KR"?>', [0x8c, 0x63, 0xc1, 0x64, 0xb0, 0xa1]);
    // Act
    const decoded = decodeBody(bytes, "text/xml");
    // Assess
    expect(decoded).toMatchObject({ encoding: "euc-kr", source: "prolog" });
    expect(decoded.text).toContain("<t>똠햏가</t>");
  });

  it("reads gbk's four-byte GB18030 sequences as the Encoding Standard does", () => {
    // Prepare: 0x81 0x30 0x81 0x30 is U+0080 in GB18030; 0xA2E3 is €.
    const bytes = doc("", [0x81, 0x30, 0x81, 0x30, 0xa2, 0xe3]);
    // Act
    const decoded = decodeBody(bytes, "text/xml; charset=gbk");
    // Assess
    expect(decoded.text).toBe("<t>\u0080€</t>");
  });
});

describe("header and prolog sniffing", () => {
  it.each([
    ["text/xml; charset=UTF-8", "UTF-8"],
    ['text/xml; charset="koi8-r"', "koi8-r"],
    ["text/xml;charset=euc-kr;format=flowed", "euc-kr"],
    ["text/xml", undefined],
    [null, undefined],
  ])("charsetFromContentType(%j) = %j", (header, charset) => {
    expect(charsetFromContentType(header)).toBe(charset);
  });

  it.each([
    ["<?xml version='1.0' encoding='Shift_JIS'?>", "Shift_JIS"],
    ['  <?xml version="1.0" encoding="gb18030" standalone="yes"?>', "gb18030"],
    ['<?xml version="1.0"?>', undefined],
    ['<rss encoding="koi8-r">', undefined],
  ])("encodingFromProlog(%j) = %j", (prolog, encoding) => {
    expect(encodingFromProlog(ascii(prolog))).toBe(encoding);
  });

  it.each([
    ["latin1", "windows-1252"],
    ["ISO-8859-1", "windows-1252"],
    ["cp1251", "windows-1251"],
    ["ks_c_5601-1987", "euc-kr"],
    ["sjis", "shift_jis"],
    ["GB2312", "gbk"],
    ["iso-8859-15", "iso-8859-15"],
    // Labels outside the Encoding Standard that Java and .NET servers write.
    ["MS949", "ms949"],
    ["cp949", "cp949"],
    ["made-up", undefined],
  ])("supportedEncoding(%j) = %j", (label, name) => {
    expect(supportedEncoding(label)).toBe(name);
  });
});

describe("prepareXmlText", () => {
  it("drops the BOM, the prolog's encoding and the DOCTYPE with its entity declarations", () => {
    const text =
      '\uFEFF<?xml version="1.0" encoding="windows-1251"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<rss>&x;</rss>';
    expect(prepareXmlText(text)).toBe('<?xml version="1.0"?>\n\n<rss>&amp;x;</rss>');
  });

  it("escapes HTML entities and bare ampersands but keeps XML's own references", () => {
    expect(prepareXmlText("<t>AT&T &nbsp; &amp; &lt; &#169; &#x1F600; &copy</t>")).toBe(
      "<t>AT&amp;T &amp;nbsp; &amp; &lt; &#169; &#x1F600; &amp;copy</t>",
    );
  });

  it("leaves CDATA sections alone, where entities are already HTML", () => {
    const text = "<t>a&nbsp;<![CDATA[Putin&nbsp;&mdash; AT&T &#1;]]> b&c <![CDATA[x&y]]></t>";
    expect(prepareXmlText(text)).toBe(
      "<t>a&amp;nbsp;<![CDATA[Putin&nbsp;&mdash; AT&T &#1;]]> b&amp;c <![CDATA[x&y]]></t>",
    );
  });

  it("reads C1 controls, raw or as references, as the windows-1252 characters they stand for", () => {
    expect(prepareXmlText("<t>don\u0092t &#147;x&#148; &#x80;5 a&#129;b</t>")).toBe(
      "<t>don\u2019t \u201cx\u201d \u20ac5 ab</t>",
    );
  });

  it("removes characters XML forbids, raw or as references", () => {
    expect(prepareXmlText("<t>a\u0000b\u0001c&#1;d&#x1F;e\uFFFEf\tg</t>")).toBe("<t>abcdef\tg</t>");
  });

  it("joins surrogate-pair references into one character and drops a lone half", () => {
    expect(prepareXmlText("<t>&#55357;&#56560; &#xD83C;&#xdDF7; &#55357;x</t>")).toBe(
      "<t>&#x1f4f0; &#x1f1f7; x</t>",
    );
  });
});
