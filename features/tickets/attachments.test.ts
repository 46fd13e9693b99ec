import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { attachmentForCustomer, attachmentForStaff, attachmentResponse, contentDisposition } from "@/features/tickets/attachments";
import { addInternalNote, createPortalTicket } from "@/features/tickets/desk";

async function person(role: "customer" | "agent"): Promise<Actor> {
  const email = `${randomUUID()}@example.com`;
  const user = await db.user.create({ data: { email, name: `A ${role}`, role, emailVerifiedAt: new Date() } });
  return { sessionId: randomUUID(), userId: user.id, role, name: user.name, email, customerId: null };
}

async function attach(messageId: string, filename: string, contentType: string, text: string) {
  return db.ticketAttachment.create({ data: { messageId, filename, contentType, sizeBytes: text.length, content: Buffer.from(text) } });
}

describe("ticket attachments", () => {
  it("lets a customer download attachments of their own public messages only", async () => {
    const owner = await person("customer");
    const stranger = await person("customer");
    const agent = await person("agent");
    const ticket = await createPortalTicket(owner, { subject: "Invoice", description: "See attached.", category: "billing", priority: "normal" });
    const publicMessage = await db.ticketMessage.findFirstOrThrow({ where: { ticketId: ticket.id } });
    const invoice = await attach(publicMessage.id, "invoice.pdf", "application/pdf", "%PDF-1.4 invoice");
    await addInternalNote(agent, { ticketId: ticket.id, body: "Internal copy." });
    const note = await db.ticketMessage.findFirstOrThrow({ where: { ticketId: ticket.id, kind: "internal_note" } });
    const internal = await attach(note.id, "internal.txt", "text/plain", "staff only");

    expect((await attachmentForCustomer(owner, invoice.id))?.filename).toBe("invoice.pdf");
    expect(await attachmentForCustomer(stranger, invoice.id)).toBeNull();
    expect(await attachmentForCustomer(owner, internal.id)).toBeNull();
    expect((await attachmentForStaff(internal.id))?.filename).toBe("internal.txt");
    expect(await attachmentForStaff(randomUUID())).toBeNull();
  });

  it("always serves a download, and never as an active type", async () => {
    const html = attachmentResponse({ filename: "page.html", contentType: "text/html; charset=utf-8", content: Buffer.from("<script>alert(1)</script>") });
    expect(html.headers.get("content-type")).toBe("application/octet-stream");
    expect(html.headers.get("content-disposition")).toBe(`attachment; filename="page.html"; filename*=UTF-8''page.html`);
    expect(html.headers.get("x-content-type-options")).toBe("nosniff");
    expect(html.headers.get("content-security-policy")).toContain("sandbox");
    expect(await html.text()).toBe("<script>alert(1)</script>");

    const pdf = attachmentResponse({ filename: "a.pdf", contentType: "Application/PDF", content: Buffer.from("%PDF") });
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.headers.get("content-length")).toBe("4");
    expect(attachmentResponse(null).status).toBe(404);
  });

  it("keeps header-breaking names out of the ASCII filename and the real name in filename*", () => {
    expect(contentDisposition('evil"; filename="x.exe')).toBe(
      `attachment; filename="evil__ filename=_x.exe"; filename*=UTF-8''${encodeURIComponent('evil"; filename="x.exe')}`,
    );
    expect(contentDisposition("../../etc/passwd")).toBe(`attachment; filename="passwd"; filename*=UTF-8''passwd`);
    expect(contentDisposition("Übersicht März.pdf")).toBe(`attachment; filename="_bersicht M_rz.pdf"; filename*=UTF-8''%C3%9Cbersicht%20M%C3%A4rz.pdf`);
    expect(contentDisposition("line\r\nbreak.txt")).toBe(`attachment; filename="line__break.txt"; filename*=UTF-8''line%0D%0Abreak.txt`);
  });
});
