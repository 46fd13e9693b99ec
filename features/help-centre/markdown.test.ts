import { describe, expect, it } from "vitest";
import { articlePlainText, renderArticleMarkdown } from "@/features/help-centre/markdown";

describe("article Markdown", () => {
  it("renders the usual Markdown, headings a level down (the page's h1 is the title)", () => {
    const html = renderArticleMarkdown("# Reset\n\nUse **Forgot password**, then `the code`.\n\n- one\n- two\n\n[Docs](https://example.com/docs)");
    expect(html).toContain("<h2>Reset</h2>");
    expect(html).toContain("<strong>Forgot password</strong>");
    expect(html).toContain("<code>the code</code>");
    expect(html).toContain("<li>one</li>");
    expect(html).toContain('<a href="https://example.com/docs" rel="nofollow noopener noreferrer">Docs</a>');
  });

  it.each([
    ["a script tag", "<script>alert(1)</script>"],
    ["an event handler", '<img src="/x.png" onerror="alert(1)">'],
    ["a javascript: link", "[click](javascript:alert(1))"],
    ["an encoded javascript: link", "[click](jav&#x61;script:alert(1))"],
    ["a data: link", "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"],
    ["an iframe", '<iframe src="https://evil.example"></iframe>'],
    ["an svg", "<svg onload=alert(1)><circle/></svg>"],
    ["a style attribute", '<p style="background:url(javascript:alert(1))">x</p>'],
    ["a link title breaking out", '[x](https://example.com "a\\" onmouseover=\\"alert(1)")'],
  ])("no script survives %s", (_name, source) => {
    const html = renderArticleMarkdown(source);
    // Every real tag (text shows "<" as &lt;) is on the allowlist, with only harmless attributes and URLs.
    for (const [, name, attributes] of html.matchAll(/<\/?([a-z0-9]+)([^>]*)>/gi)) {
      expect(["h2", "h3", "p", "a", "img", "strong", "em", "code", "pre", "ul", "li", "br"]).toContain(name!.toLowerCase());
      for (const [, attribute, value] of attributes!.matchAll(/([^\s=/]+)(?:="([^"]*)")?/g)) {
        expect(["href", "src", "alt", "title", "rel"]).toContain(attribute!.toLowerCase());
        if (attribute === "href" || attribute === "src") expect(value).toMatch(/^(https?:\/\/|mailto:|\/(?!\/))/);
      }
    }
  });

  it("keeps images from this site only", () => {
    const id = "01a24197-3c17-75de-ad83-c2b065ad1af9";
    expect(renderArticleMarkdown(`![Screen](/help/files/${id})`)).toContain(`<img src="/help/files/${id}" alt="Screen" />`);
    // Any other same-site path would be fetched with every reader's cookies.
    expect(renderArticleMarkdown("![x](/console/tickets)")).not.toContain("<img");
    expect(renderArticleMarkdown("![Tracker](https://tracker.example/pixel.gif)")).not.toContain("<img");
    expect(renderArticleMarkdown("![Tracker](//tracker.example/pixel.gif)")).not.toContain("<img");
    expect(renderArticleMarkdown("![x](data:image/png;base64,AAAA)")).not.toContain("<img");
  });

  it("gives plain text for excerpts, shortened", () => {
    expect(articlePlainText("# Title\n\nSome **bold** & <b>text</b>.")).toBe("Title Some bold & <b>text</b>.");
    expect(articlePlainText("word ".repeat(100), 20)).toHaveLength(20);
  });
});
