import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { receiveKbImage, serveKbImage } from "@/features/help-centre/images";

// A 1×1 transparent PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="1"/></svg>');

async function staff(): Promise<Actor> {
  const user = await db.user.create({ data: { email: `${randomUUID()}@example.com`, name: "Img Writer", role: "agent" } });
  return { sessionId: randomUUID(), userId: user.id, role: "agent", name: user.name, email: user.email, customerId: null };
}
const upload = (body: Buffer, name: string, actor: Actor) =>
  receiveKbImage(
    new Request("http://localhost/api/help-centre/images", {
      method: "POST",
      headers: { "x-file-name": encodeURIComponent(name) },
      body: new Uint8Array(body),
    }),
    actor,
  );

describe("help-centre images", () => {
  it("takes PNG, JPEG, GIF and WebP recognised from the bytes, never SVG or a renamed file", async () => {
    const agent = await staff();
    const stored = await upload(PNG, "screen shot.png", agent);
    expect(stored.status).toBe(201);
    expect(await stored.json()).toMatchObject({
      url: expect.stringMatching(/^\/help\/files\/[0-9a-f-]{36}$/),
      markdown: expect.stringMatching(/^!\[screen shot\]\(\/help\/files\//),
    });
    expect((await upload(SVG, "logo.svg", agent)).status).toBe(415);
    expect((await upload(Buffer.from("MZ not an image"), "photo.png", agent)).status).toBe(415);
    expect((await upload(Buffer.alloc(0), "empty.png", agent)).status).toBe(400);
  });

  it("is served to everyone only while a public article shows it, to staff always, with nosniff", async () => {
    const agent = await staff();
    const { id, url } = (await (await upload(PNG, "step.png", agent)).json()) as { id: string; url: string };
    expect((await serveKbImage(id, null)).status).toBe(404);
    expect((await serveKbImage(id, agent)).status).toBe(200);
    const article = await db.kbArticle.create({
      data: { slug: `img-${randomUUID().slice(0, 8)}`, title: "With image", body: `![step](${url})`, visibility: "draft", translationKey: randomUUID() },
    });
    expect((await serveKbImage(id, null)).status).toBe(404);
    await db.kbArticle.update({ where: { id: article.id }, data: { visibility: "public" } });
    const served = await serveKbImage(id, null);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await serveKbImage("x%ED%A0%80", null)).status).toBe(404);
  });
});
