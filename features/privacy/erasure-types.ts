/** What an erasure removed or kept, by kind (counts only). Browser-safe: the form shows it. */
export interface ErasureCounts {
  customers: number;
  emails: number;
  phones: number;
  portalAccounts: number;
  tickets: number;
  messages: number;
  attachments: number;
  outboxMessages: number;
  devMailboxMessages: number;
  inboundEmails: number;
  inboundTexts: number;
  challenges: number;
  notifications: number;
  rateLimitKeys: number;
  identityChecksKept: number;
  merges: number;
}
