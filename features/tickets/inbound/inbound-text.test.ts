import { describe, expect, it } from "vitest";
import { cleanLine, cleanText, decodeEntities, htmlToText } from "@/features/tickets/inbound/inbound-text";

describe("htmlToText", () => {
  it("keeps the words and the paragraph structure, drops the markup", () => {
    const html = `<!doctype html><html><head><title>Ignored</title><style>p { color: red }</style></head>
      <body><p>Hello <b>Ada</b>,</p><p>The export&nbsp;fails:<br>see below.</p><ul><li>one</li><li>two</li></ul><div>Thanks &amp; regards</div></body></html>`;
    expect(htmlToText(html)).toBe("Hello Ada,\n\nThe export fails:\nsee below.\n\n- one\n- two\n\nThanks & regards");
  });

  it("never keeps scripts, styles, comments or event handlers", () => {
    const html = `<p onclick="steal()">Hi</p><script type="text/javascript">alert(document.cookie)</script><SCRIPT>evil()</SCRIPT ><!-- <script>x</script> --><iframe src="https://evil.test">frame text</iframe><img src=x onerror="alert(1)" alt="logo"><svg><script>y()</script></svg>`;
    const text = htmlToText(html);
    expect(text).toBe("Hi\n\n[logo]");
    expect(text).not.toMatch(/<|alert|evil|steal/);
  });

  it("keeps links as text (url), and decodes entities only into text", () => {
    expect(htmlToText(`See <a href="https://example.com/a?b=1&amp;c=2">the docs</a> or <a href="mailto:x@example.com">x@example.com</a>.`)).toBe(
      "See the docs (https://example.com/a?b=1&c=2) or x@example.com.",
    );
    expect(htmlToText("<p>&lt;script&gt;alert(1)&lt;/script&gt; is what they typed</p>")).toBe("<script>alert(1)</script> is what they typed");
    expect(htmlToText(`<a href="javascript:alert(1)">click</a>`)).toBe("click");
  });

  it("survives broken markup: unclosed tags, stray '<', attributes with '>'", () => {
    expect(htmlToText(`a < b and <p title="x>y">c</p> <div`)).toBe("a < b and\n\nc");
    expect(htmlToText("<style>never closed ... everything after is style")).toBe("");
    expect(htmlToText("<pre>  keep\n   spacing</pre>")).toBe("keep\n   spacing");
  });

  it("is linear on hostile input", () => {
    const hostile = "<script".repeat(50_000) + "<a href='".repeat(50_000) + "<".repeat(100_000);
    expect(typeof htmlToText(hostile)).toBe("string");
  });
});

describe("cleaning", () => {
  it("removes NUL and control characters, normalises line breaks", () => {
    expect(cleanText("a\u0000b\r\nc\rd\te\u001b")).toBe("ab\nc\nd\te");
    expect(cleanLine("  Re:\r\n  hello\u0000 world  ", 100)).toBe("Re: hello world");
    expect(cleanLine("x".repeat(10), 5)).toBe("xxxx…");
  });

  it("decodes numeric references safely", () => {
    expect(decodeEntities("&#65;&#x1F600;&#0;&#xD800;&unknown;")).toBe("A😀\uFFFD\uFFFD&unknown;");
  });
});
