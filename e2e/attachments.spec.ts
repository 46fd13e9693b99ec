import { readFile } from "node:fs/promises";
import { authenticationResults, expect, test } from "./fixtures/test";

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

test("attachments from email download for the agent and the customer, never render, and stay private", async ({
  request,
  users,
  customers,
  webhooks,
  newPage,
}) => {
  const customer = await customers.create("files");
  const other = await customers.create("nosy");

  const customerPage = await newPage();
  await users.signIn(customerPage, customer.user);
  await customerPage.goto("/portal/tickets/new");
  await customerPage.getByLabel("Subject").fill("Error log from the scanner");
  await customerPage.getByLabel("Describe the problem or question").fill("I will email the log.");
  await customerPage.getByRole("button", { name: "Submit ticket" }).click();
  const opened = customerPage.getByText(/Ticket VD-\d+ is open/);
  await expect(opened).toBeVisible();
  const reference = (await opened.textContent())!.match(/VD-\d+/)![0];
  const ticketPath = new URL(customerPage.url()).pathname;
  const ticketId = ticketPath.split("/").pop()!;

  // The customer emails the log (and an HTML file) with the ticket reference in the subject.
  const log = "2026-11-29 10:42 paper jam at roller 2\n";
  const inbound = await webhooks.postInboundJson({
    from: customer.primary,
    subject: `Re: [${reference}] Error log from the scanner`,
    text: "Here is the log.",
    headers: authenticationResults(customer.domain, "pass"),
    attachments: [
      { filename: "scanner-log.txt", contentType: "text/plain", contentBase64: base64(log) },
      { filename: "report.html", contentType: "text/html", contentBase64: base64("<script>document.title='owned'</script>") },
    ],
  });
  expect(inbound.status()).toBe(200);

  // The agent downloads the log from the thread.
  const agentPage = await newPage();
  await users.signIn(agentPage, "agent");
  await agentPage.goto(`/console/tickets/${ticketId}`);
  const [download] = await Promise.all([agentPage.waitForEvent("download"), agentPage.getByRole("link", { name: "Download scanner-log.txt" }).click()]);
  expect(download.suggestedFilename()).toBe("scanner-log.txt");
  expect(await readFile((await download.path())!, "utf8")).toBe(log);

  // An HTML attachment is a download with an inert type, never a page on our origin.
  const htmlHref = await agentPage.getByRole("link", { name: "Download report.html" }).getAttribute("href");
  const html = await agentPage.request.get(htmlHref!);
  expect(html.status()).toBe(200);
  expect(html.headers()["content-type"]).toBe("application/octet-stream");
  expect(html.headers()["content-disposition"]).toMatch(/^attachment;/);
  expect(html.headers()["x-content-type-options"]).toBe("nosniff");

  // The customer downloads it from the portal; another customer and a staff URL swap get nothing.
  await customerPage.reload();
  const portalHref = await customerPage.getByRole("link", { name: "Download scanner-log.txt" }).getAttribute("href");
  expect(portalHref).toMatch(/^\/portal\/attachments\//);
  expect(await (await customerPage.request.get(portalHref!)).text()).toBe(log);

  const otherPage = await newPage();
  await users.signIn(otherPage, other.user);
  const stolen = await otherPage.request.get(portalHref!);
  expect(stolen.status()).toBe(404);
  expect(await stolen.text()).not.toContain("paper jam");
  const staffUrl = await otherPage.request.get(portalHref!.replace("/portal/", "/console/"));
  expect(staffUrl.status()).toBe(403);
  const anonymous = await request.get(portalHref!);
  expect(anonymous.status()).toBe(401);
});
