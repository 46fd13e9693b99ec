import { describe, expect, it } from "vitest";
import {
  domainsAlign,
  parseAuthenticationResults,
  parseReceivedSpf,
  senderAuthenticationFrom,
  type HeaderList,
} from "@/features/tickets/inbound/authentication-results";

// Real-world shapes (addresses, IPs and signatures changed).
const GMAIL_PASS = `mx.google.com;
       dkim=pass header.i=@example.com header.s=20230601 header.b=Xk3Lq9Zp;
       arc=pass (i=1 spf=pass spfdomain=example.com dkim=pass dkdomain=example.com dmarc=pass fromdomain=example.com);
       spf=pass (google.com: domain of jane@example.com designates 209.85.220.41 as permitted sender) smtp.mailfrom=jane@example.com;
       dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=example.com`;

const GMAIL_SPOOF = `mx.google.com;
       spf=softfail (google.com: domain of transitioning ceo@bigcorp.com does not designate 192.0.2.7 as permitted sender) smtp.mailfrom=ceo@bigcorp.com;
       dmarc=fail (p=REJECT sp=REJECT dis=REJECT) header.from=bigcorp.com`;

const MICROSOFT_PASS = `spf=pass (sender IP is 40.107.22.55)
 smtp.mailfrom=contoso.com; dkim=pass (signature was verified)
 header.d=contoso.com;dmarc=pass action=none
 header.from=contoso.com;compauth=pass reason=100`;

const MICROSOFT_FAIL = `spf=fail (sender IP is 203.0.113.5)
 smtp.mailfrom=fabrikam.com; dkim=none (message not signed)
 header.d=none;dmarc=fail action=quarantine
 header.from=fabrikam.com;compauth=fail reason=000`;

const MULTIPLE_SIGNATURES = `mail.example.net 1;
  dkim=fail reason="signature verification failed; body hash" (1024-bit key; secure) header.d=example.com header.i=@example.com header.b="abc=";
  dkim=pass (2048-bit key; unprotected) header.d=esp.example header.i=@esp.example header.a=rsa-sha256 header.s=s1 header.b=XyZ;
  spf=pass smtp.mailfrom=bounces.esp.example smtp.helo=out.esp.example`;

describe("parseAuthenticationResults", () => {
  it("reads Gmail's header: authserv-id, comments with ';' and '=', vendor methods", () => {
    const parsed = parseAuthenticationResults(GMAIL_PASS);
    expect(parsed.authservId).toBe("mx.google.com");
    expect(parsed.results.map((r) => [r.method, r.result])).toEqual([
      ["dkim", "pass"],
      ["arc", "pass"],
      ["spf", "pass"],
      ["dmarc", "pass"],
    ]);
    expect(parsed.results[2]!.properties["smtp.mailfrom"]).toBe("jane@example.com");
  });

  it("reads Microsoft's header without an authserv-id, with missing spaces after ';'", () => {
    const parsed = parseAuthenticationResults(MICROSOFT_FAIL);
    expect(parsed.authservId).toBeNull();
    expect(parsed.results.map((r) => [r.method, r.result])).toEqual([
      ["spf", "fail"],
      ["dkim", "none"],
      ["dmarc", "fail"],
      ["compauth", "fail"],
    ]);
    expect(parsed.results[2]!.properties).toMatchObject({ action: "quarantine", "header.from": "fabrikam.com" });
  });

  it("keeps quoted values with ';' inside, and tolerates junk", () => {
    const parsed = parseAuthenticationResults(MULTIPLE_SIGNATURES);
    expect(parsed.results[0]!.properties.reason).toBe("signature verification failed; body hash");
    expect(parsed.results[0]!.properties["header.b"]).toBe("abc=");
    expect(parseAuthenticationResults("mx.example.com; none").results).toEqual([]);
    expect(parseAuthenticationResults(";;; = ; spf= ; (unclosed").results).toEqual([{ method: "spf", result: "unknown", properties: {} }]);
    expect(parseAuthenticationResults("mx.example.com; SPF=PASS smtp.mailfrom=a@b.c").results[0]).toMatchObject({ method: "spf", result: "pass" });
  });
});

const headersOf = (...pairs: Array<[string, string]>): HeaderList => pairs;

describe("senderAuthenticationFrom", () => {
  it("Gmail: everything passes, with the domains", () => {
    expect(senderAuthenticationFrom(headersOf(["Authentication-Results", GMAIL_PASS]))).toEqual({
      spf: "pass",
      dkim: "pass",
      dmarc: "pass",
      spfDomain: "example.com",
      dkimPassDomains: ["example.com"],
      dmarcDomain: "example.com",
      authservId: "mx.google.com",
      source: "authentication-results",
    });
  });

  it("Gmail: a spoof softfails SPF and fails DMARC", () => {
    expect(senderAuthenticationFrom(headersOf(["authentication-results", GMAIL_SPOOF]))).toMatchObject({ spf: "softfail", dkim: "none", dmarc: "fail" });
  });

  it("Microsoft: pass and fail", () => {
    expect(senderAuthenticationFrom(headersOf(["Authentication-Results", MICROSOFT_PASS]))).toMatchObject({
      spf: "pass",
      dkim: "pass",
      dmarc: "pass",
      dkimPassDomains: ["contoso.com"],
    });
    expect(senderAuthenticationFrom(headersOf(["Authentication-Results", MICROSOFT_FAIL]))).toMatchObject({
      spf: "fail",
      dkim: "none",
      dmarc: "fail",
      dkimPassDomains: [],
    });
  });

  it("multiple results: a method counts as its best result, and only passing signatures name domains", () => {
    const auth = senderAuthenticationFrom(headersOf(["Authentication-Results", MULTIPLE_SIGNATURES]));
    expect(auth).toMatchObject({ dkim: "pass", dkimPassDomains: ["esp.example"], spf: "pass", spfDomain: "bounces.esp.example", dmarc: "none" });
  });

  it("trusts the topmost header: a 'pass' further down (written by the sender) is ignored", () => {
    const auth = senderAuthenticationFrom(
      headersOf(
        ["Received", "from mx.example.com by mx.veridesk.test"],
        ["Authentication-Results", "mx.veridesk.test; spf=fail smtp.mailfrom=bigcorp.com; dkim=none; dmarc=fail header.from=bigcorp.com"],
        ["Authentication-Results", "mx.veridesk.test; spf=pass; dkim=pass header.d=bigcorp.com; dmarc=pass"],
      ),
    );
    expect(auth).toMatchObject({ spf: "fail", dkim: "none", dmarc: "fail" });
  });

  it("skips a topmost header that reports no SPF/DKIM/DMARC (e.g. ARC only)", () => {
    const auth = senderAuthenticationFrom(headersOf(["Authentication-Results", "i.example; arc=none"], ["Authentication-Results", GMAIL_PASS]));
    expect(auth).toMatchObject({ spf: "pass", dmarc: "pass" });
  });

  it("falls back to Received-SPF for SPF", () => {
    const received =
      "Pass (protection.outlook.com: domain of example.org designates 40.92.1.1 as permitted sender) receiver=protection.outlook.com; client-ip=40.92.1.1; helo=mail.example.org;";
    expect(parseReceivedSpf(received)).toEqual({ result: "pass", domain: "mail.example.org" });
    expect(parseReceivedSpf("SoftFail (mx.example: transitioning domain) client-ip=192.0.2.1; envelope-from=<x@bigcorp.com>;")).toEqual({
      result: "softfail",
      domain: "bigcorp.com",
    });
    expect(senderAuthenticationFrom(headersOf(["Received-SPF", received]))).toMatchObject({ spf: "pass", dkim: "none", dmarc: "none", source: "received-spf" });
    // Alongside an Authentication-Results without SPF.
    expect(
      senderAuthenticationFrom(headersOf(["Authentication-Results", "mx.x; dkim=pass header.d=example.org"], ["Received-SPF", "fail (x) client-ip=1.2.3.4"])),
    ).toMatchObject({
      spf: "fail",
      dkim: "pass",
      source: "authentication-results",
    });
  });

  it("missing headers: everything 'none'", () => {
    expect(senderAuthenticationFrom([])).toEqual({
      spf: "none",
      dkim: "none",
      dmarc: "none",
      spfDomain: null,
      dkimPassDomains: [],
      dmarcDomain: null,
      authservId: null,
      source: "none",
    });
  });

  it("aligns domains relaxed (subdomains), not across organisations", () => {
    expect(domainsAlign("mail.example.com", "example.com")).toBe(true);
    expect(domainsAlign("example.com", "EXAMPLE.com")).toBe(true);
    expect(domainsAlign("example.com.evil.test", "example.com")).toBe(false);
    expect(domainsAlign("notexample.com", "example.com")).toBe(false);
  });
});
