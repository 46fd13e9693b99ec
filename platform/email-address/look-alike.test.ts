import { describe, expect, it } from "vitest";
import {
  addressInDisplayName,
  boundedEditDistance,
  buildLookAlikeIndex,
  describeLookAlike,
  findLookAlike,
  lookAlikeOf,
} from "@/platform/email-address/look-alike";

const KNOWN = ["northwind.example", "contoso-pharma.example", "acme.com", "example.com", "northwind.co.uk", "gmail.com"];
const index = buildLookAlikeIndex(KNOWN);

describe("findLookAlike catches each technique", () => {
  it.each([
    // edit: changed, swapped, inserted, dropped
    ["northwimd.example", "northwind.example", "edit"],
    ["nortwhind.example", "northwind.example", "edit"],
    ["northwinds.example", "northwind.example", "edit"],
    ["nrthwind.example", "northwind.example", "edit"],
    ["examples.com", "example.com", "edit"],
    // two edits in a long name
    ["contoso-pharrna.example", "contoso-pharma.example", "homoglyph"],
    ["cantoso-phrama.example", "contoso-pharma.example", "edit"],
    // homoglyphs
    ["northwlnd.example", "northwind.example", "homoglyph"],
    ["n0rthwind.example", "northwind.example", "homoglyph"],
    ["northw1nd.example", "northwind.example", "homoglyph"],
    ["northvvlnd.example", "northwind.example", "homoglyph"],
    ["acme.org.evil", "acme.com", "embedded"],
    ["exarnple.com", "example.com", "homoglyph"],
    ["northvvind.example", "northwind.example", "homoglyph"],
    // Unicode confusables, typed or as punycode
    ["nоrthwind.example", "northwind.example", "confusable"],
    ["northwιnd.example", "northwind.example", "confusable"],
    ["nörthwind.example", "northwind.example", "confusable"],
    ["ｎｏｒｔｈｗｉｎｄ.example", "northwind.example", "confusable"],
    // another ending, or the whole domain flattened into a name
    ["northwind.co", "northwind.example", "tld"],
    ["northwind-example.com", "northwind.example", "tld"],
    ["northwindexample.com", "northwind.example", "tld"],
    ["northwind-example.support", "northwind.example", "tld"],
    ["example.org", "example.com", "tld"],
    // the known domain inside another
    ["northwind.example.evil.test", "northwind.example", "embedded"],
    ["northwind-support.com", "northwind.example", "embedded"],
    ["secure-northwind.example", "northwind.example", "embedded"],
    ["login.northwind.evil.test", "northwind.example", "embedded"],
  ])("%s imitates %s (%s)", (domain, known, technique) => {
    expect(findLookAlike(domain, index)).toMatchObject({ knownDomain: known, technique });
  });

  it("decodes punycode and says so", () => {
    const cyrillicO = new URL("http://nоrthwind.example").hostname; // the browser's punycode form
    expect(cyrillicO.startsWith("xn--")).toBe(true);
    const found = findLookAlike(cyrillicO, index);
    expect(found).toMatchObject({ domain: "nоrthwind.example", knownDomain: "northwind.example", technique: "confusable", punycode: true });
    expect(describeLookAlike(found!)).toBe("letters of another alphabet imitate northwind.example (the domain came as punycode)");
  });

  it("is case- and trailing-dot-insensitive", () => {
    expect(findLookAlike("NorthWlnd.Example.", index)).toMatchObject({ knownDomain: "northwind.example" });
  });
});

describe("findLookAlike leaves legitimate domains alone", () => {
  it.each([
    // the known domains themselves, their subdomains, their registrable part
    "northwind.example",
    "NORTHWIND.EXAMPLE",
    "mail.northwind.example",
    "eu.mail.northwind.example",
    "northwind.co.uk",
    "support.northwind.co.uk",
    // distinct names
    "southwind.example",
    "northwest.example",
    "acne.com",
    "contoso.example",
    "fabrikam.com",
    "wind.example",
    "north.example",
    // providers: never flagged, never a target
    "gmail.com",
    "gmai1.com",
    "hotmail.com",
    "outlook.com",
    // not domains
    "",
    "localhost",
    "xn--",
  ])("%s", (domain) => {
    expect(findLookAlike(domain, index)).toBeNull();
  });

  it("two known domains never flag each other (a customer's own aliases)", () => {
    const aliases = buildLookAlikeIndex(["northwind.example", "northwind.co", "northwind-example.com", "northwlnd.example"]);
    for (const domain of aliases.known) expect(findLookAlike(domain, aliases)).toBeNull();
  });

  it("flags nothing when nothing is known, and ignores provider domains given as known", () => {
    expect(lookAlikeOf("northwlnd.example", [])).toBeNull();
    expect(lookAlikeOf("gmial.com", ["gmail.com"])).toBeNull();
  });
});

describe("short names", () => {
  it("are not compared letter by letter (every short name is one letter from another)", () => {
    expect(lookAlikeOf("acne.com", ["acme.com"])).toBeNull();
    expect(lookAlikeOf("ibn.com", ["ibm.com"])).toBeNull();
  });
  it("but another ending or a look-alike glyph is still caught", () => {
    expect(lookAlikeOf("acme.co", ["acme.com"])).toMatchObject({ technique: "tld" });
    expect(lookAlikeOf("acrne.com", ["acme.com"])).toMatchObject({ technique: "homoglyph" });
  });
});

describe("boundedEditDistance", () => {
  it("counts a swap as one edit and stops past the bound", () => {
    expect(boundedEditDistance("gmial", "gmail", 2)).toBe(1);
    expect(boundedEditDistance("northwind", "southwind", 1)).toBe(2);
    expect(boundedEditDistance("abc", "abcdef", 1)).toBe(2);
    expect(boundedEditDistance("same", "same", 0)).toBe(0);
  });
});

describe("addressInDisplayName", () => {
  it("finds an address written in the display name that is not the sender's", () => {
    expect(addressInDisplayName("CEO@Northwind.example", "attacker@evil.test")).toBe("ceo@northwind.example");
    expect(addressInDisplayName("Jane Doe (jane@northwind.example) via Support", "x@evil.test")).toBe("jane@northwind.example");
  });
  it("ignores a display name that repeats the real address, or has none", () => {
    expect(addressInDisplayName("jane@northwind.example", "Jane@Northwind.example")).toBeNull();
    expect(addressInDisplayName("Jane Doe", "jane@northwind.example")).toBeNull();
    expect(addressInDisplayName(null, "jane@northwind.example")).toBeNull();
    expect(addressInDisplayName("Sales @ Northwind", "jane@northwind.example")).toBeNull();
  });
});

describe("cost", () => {
  it("checks a domain against 20,000 known domains without comparing it to each in full", () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `company${i.toString(36)}x${(i * 7919).toString(36)}.example`);
    let start = performance.now();
    const big = buildLookAlikeIndex([...many, "northwind.example"]);
    const buildMs = performance.now() - start;
    start = performance.now();
    for (let i = 0; i < 20; i++) findLookAlike(`northwlnd${i}.example`, big);
    const perLookupMs = (performance.now() - start) / 20;
    expect(findLookAlike("northwlnd.example", big)).toMatchObject({ knownDomain: "northwind.example" });
    console.log(`[look-alike] index of ${big.size} domains built in ${buildMs.toFixed(0)} ms; one lookup ${perLookupMs.toFixed(2)} ms`);
    expect(perLookupMs).toBeLessThan(200);
  });
});
