import type { ReactElement, ReactNode } from "react";
import { Body, Container, Head, Heading, Hr, Html, Preview, Section, Text } from "@react-email/components";
import { render, toPlainText } from "@react-email/render";

/**
 * The frame shared by the code emails: one narrow column, system fonts, inline styles only (email
 * clients ignore most CSS). Server only: renderEmail turns a template into HTML and plain text.
 */

export const PRODUCT_NAME = "Veridesk";

const fontFamily = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif';

export const styles = {
  body: { backgroundColor: "#f4f5f7", fontFamily, margin: 0, padding: "24px 0" },
  container: { backgroundColor: "#ffffff", borderRadius: "8px", maxWidth: "480px", margin: "0 auto", padding: "32px" },
  heading: { color: "#111827", fontSize: "22px", fontWeight: 600, lineHeight: "28px", margin: "0 0 16px" },
  text: { color: "#374151", fontSize: "15px", lineHeight: "22px", margin: "0 0 16px" },
  small: { color: "#6b7280", fontSize: "13px", lineHeight: "20px", margin: "0 0 12px" },
  codeBox: { backgroundColor: "#f3f4f6", borderRadius: "8px", margin: "8px 0 16px", padding: "16px 0", textAlign: "center" as const },
  code: {
    color: "#111827",
    fontFamily: '"SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace',
    fontSize: "34px",
    fontWeight: 700,
    letterSpacing: "8px",
    lineHeight: "40px",
    margin: 0,
  },
  button: {
    backgroundColor: "#1d4ed8",
    borderRadius: "6px",
    color: "#ffffff",
    display: "inline-block",
    fontSize: "15px",
    fontWeight: 600,
    padding: "12px 20px",
    textDecoration: "none",
  },
  link: { color: "#1d4ed8", wordBreak: "break-all" as const },
  hr: { borderColor: "#e5e7eb", margin: "24px 0 16px" },
};

/** The code, large and alone on its line so it is easy to read and to copy. */
export function CodeBlock({ code }: { code: string }) {
  return (
    <Section style={styles.codeBox}>
      <Text style={styles.code}>{code}</Text>
    </Section>
  );
}

export function EmailLayout({ preview, heading, children, footer }: { preview: string; heading: string; children: ReactNode; footer: ReactNode }) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Heading as="h1" style={styles.heading}>
            {heading}
          </Heading>
          {children}
          <Hr style={styles.hr} />
          {footer}
        </Container>
      </Body>
    </Html>
  );
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/**
 * HTML and plain-text parts of one email. Renders once and derives the text from that HTML, which
 * is exactly what render(…, { plainText: true }) does, without rendering the tree a second time.
 */
export async function renderEmail(subject: string, email: ReactElement): Promise<RenderedEmail> {
  const html = await render(email);
  return { subject, html, text: toPlainText(html) };
}
