import type {
  AgreementTier,
  CustomerMatchStatus,
  Deliverability,
  MessageDeliveryStatus,
  MessageKind,
  PhoneKind,
  Role,
  TicketChannel,
  TicketPriority,
  TicketStatus,
} from "@/platform/db/generated/prisma/enums";

/**
 * The demo's story, as plain data (prisma/seed.ts writes it; the launcher prints the sign-ins;
 * e2e tests sign in with them). It shows what Veridesk is for: every ticket tells the agent who
 * the requester really is — which customer, through which address, and whether they are entitled
 * to support today.
 *
 * - Northwind Traders (ACC-10001): premium agreement valid; writes from a personal alias too;
 *   Maya Patel has a portal account matched to the record.
 * - Bluebell Bakery (ACC-10002): agreement expired three weeks ago; Tom Reilly's account is matched.
 * - Harbour Logistics (ACC-10003): basic agreement valid, but the primary address is bouncing.
 * - Kestrel Engineering (ACC-10004): premium agreement cancelled last month.
 * - Lumen Dental Clinic (ACC-10005): no agreement; Henry Walsh registered with a clinic address
 *   and typed the account number, and is awaiting an agent's match (a hint, never proof).
 * - Quarry Hill Books (ACC-10006): standard agreement valid after an earlier basic one expired.
 * Plus one email from an address nobody knows.
 *
 * All addresses use reserved example domains and all numbers are ranges set aside for fiction
 * (+61 491 570 xxx, +61 2 5550, +61 3 7010, +61 7 5550, +1 NXX 555-01xx, +44 117 496), so a demo
 * that is wired to a real email or SMS provider reaches nobody.
 *
 * Times are relative to the moment of seeding: days for dates, hours and minutes for tickets.
 */

// ───────────────────────────── Customers ─────────────────────────────

export type DemoEmail = {
  address: string;
  isPrimary: boolean;
  verified: boolean;
  deliverability: Deliverability;
  bounceCount?: number;
  lastBouncedDaysAgo?: number;
};

export type DemoPhone = { e164: string; kind: PhoneKind; verified: boolean };

export type DemoAgreement = {
  reference: string;
  tier: AgreementTier;
  /** Days from today (negative = in the past), as UTC calendar dates. */
  startsInDays: number;
  endsInDays: number;
  cancelledDaysAgo?: number;
};

/** A company with several contacts: its agreements entitle every one of them; its domains only suggest membership. */
export type DemoOrganisation = {
  name: string;
  notes?: string;
  domains: string[];
  agreements: DemoAgreement[];
};

export const DEMO_ORGANISATIONS: readonly DemoOrganisation[] = [
  {
    name: "Northwind Traders",
    notes: "Wholesale importer. The standard site agreement covers every contact; Maya also holds her own premium one.",
    domains: ["northwind.example"],
    agreements: [{ reference: "SA-ORG-NW-1", tier: "standard", startsInDays: -200, endsInDays: 150 }],
  },
  { name: "Bluebell Bakery", domains: [], agreements: [] },
  {
    name: "Harbour Logistics",
    notes: "Two depots; agreements are per contact.",
    domains: ["harbour-logistics.example"],
    agreements: [],
  },
  { name: "Kestrel Engineering", domains: [], agreements: [] },
  // Henry (awaiting review) writes from this domain: the review suggests the organisation, never links it.
  { name: "Lumen Dental Clinic", domains: ["lumen-dental.example"], agreements: [] },
  { name: "Quarry Hill Books", domains: [], agreements: [] },
];

export type DemoCustomer = {
  accountNumber: string;
  name: string;
  /** The name of one of DEMO_ORGANISATIONS, or null for a private customer. */
  organisation: string | null;
  emails: DemoEmail[];
  phones: DemoPhone[];
  agreements: DemoAgreement[];
};

export const DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  {
    accountNumber: "ACC-10001",
    name: "Maya Patel",
    organisation: "Northwind Traders",
    emails: [
      { address: "maya.patel@northwind.example", isPrimary: true, verified: true, deliverability: "delivering" },
      { address: "maya.p.home@mail.example", isPrimary: false, verified: true, deliverability: "delivering" },
      { address: "m.patel@northwind-old.example", isPrimary: false, verified: false, deliverability: "unknown" },
    ],
    phones: [
      { e164: "+61491570157", kind: "mobile", verified: true },
      { e164: "+61255501234", kind: "fixed", verified: false },
    ],
    agreements: [
      { reference: "SA-10001-A", tier: "standard", startsInDays: -730, endsInDays: -366 },
      { reference: "SA-10001-B", tier: "premium", startsInDays: -365, endsInDays: 180 },
    ],
  },
  {
    accountNumber: "ACC-10002",
    name: "Tom Reilly",
    organisation: "Bluebell Bakery",
    emails: [
      { address: "tom.reilly@bluebell-bakery.example", isPrimary: true, verified: true, deliverability: "delivering" },
      { address: "orders@bluebell-bakery.example", isPrimary: false, verified: false, deliverability: "delivering" },
    ],
    phones: [
      { e164: "+61370105678", kind: "fixed", verified: false },
      { e164: "+61491570158", kind: "mobile", verified: false },
    ],
    agreements: [{ reference: "SA-10002-A", tier: "standard", startsInDays: -385, endsInDays: -20 }],
  },
  {
    accountNumber: "ACC-10003",
    name: "Sofia Andersson",
    organisation: "Harbour Logistics",
    emails: [
      {
        address: "sofia.andersson@harbour-logistics.example",
        isPrimary: true,
        verified: true,
        deliverability: "bouncing",
        bounceCount: 3,
        lastBouncedDaysAgo: 1,
      },
      { address: "s.andersson@mail.example", isPrimary: false, verified: true, deliverability: "delivering" },
    ],
    phones: [
      { e164: "+14155550132", kind: "mobile", verified: true },
      { e164: "+14155550187", kind: "fixed", verified: false },
    ],
    agreements: [{ reference: "SA-10003-A", tier: "basic", startsInDays: -90, endsInDays: 275 }],
  },
  {
    accountNumber: "ACC-10004",
    name: "Daniel Okafor",
    organisation: "Kestrel Engineering",
    emails: [
      { address: "daniel.okafor@kestrel-eng.example", isPrimary: true, verified: true, deliverability: "delivering" },
      { address: "it-support@kestrel-eng.example", isPrimary: false, verified: false, deliverability: "delivering" },
    ],
    phones: [
      { e164: "+441174960222", kind: "fixed", verified: true },
      { e164: "+441174960223", kind: "other", verified: false },
    ],
    agreements: [{ reference: "SA-10004-A", tier: "premium", startsInDays: -120, endsInDays: 245, cancelledDaysAgo: 30 }],
  },
  {
    accountNumber: "ACC-10005",
    name: "Grace Kim",
    organisation: "Lumen Dental Clinic",
    emails: [
      { address: "grace.kim@lumen-dental.example", isPrimary: true, verified: false, deliverability: "delivering" },
      { address: "reception@lumen-dental.example", isPrimary: false, verified: false, deliverability: "unknown" },
    ],
    phones: [
      { e164: "+61755504321", kind: "fixed", verified: false },
      { e164: "+61491570110", kind: "mobile", verified: false },
    ],
    agreements: [],
  },
  {
    accountNumber: "ACC-10006",
    name: "Oliver Bennett",
    organisation: "Quarry Hill Books",
    emails: [
      { address: "oliver@quarryhillbooks.example", isPrimary: true, verified: true, deliverability: "delivering" },
      { address: "o.bennett@oldmail.example", isPrimary: false, verified: false, deliverability: "complained" },
    ],
    phones: [{ e164: "+16175550178", kind: "mobile", verified: true }],
    agreements: [
      { reference: "SA-10006-A", tier: "basic", startsInDays: -800, endsInDays: -435 },
      { reference: "SA-10006-B", tier: "standard", startsInDays: -434, endsInDays: 296 },
    ],
  },
  // Contacts with no agreement of their own: the organisation's entitles them (Liam) or does not (Priya).
  {
    accountNumber: "ACC-10007",
    name: "Liam Chen",
    organisation: "Northwind Traders",
    emails: [
      { address: "liam.chen@northwind.example", isPrimary: true, verified: true, deliverability: "delivering" },
      { address: "liam.chen.home@mail.example", isPrimary: false, verified: false, deliverability: "unknown" },
    ],
    phones: [{ e164: "+61491570159", kind: "mobile", verified: false }],
    agreements: [],
  },
  {
    accountNumber: "ACC-10008",
    name: "Priya Raman",
    organisation: "Harbour Logistics",
    emails: [
      { address: "priya.raman@harbour-logistics.example", isPrimary: true, verified: true, deliverability: "delivering" },
      { address: "p.raman@mail.example", isPrimary: false, verified: false, deliverability: "unknown" },
    ],
    phones: [],
    agreements: [],
  },
];

// ───────────────────────────── Accounts ─────────────────────────────

export type DemoUserKey = "alex" | "sam" | "jordan" | "robin" | "maya" | "tom" | "henry";

export type DemoUser = {
  key: DemoUserKey;
  role: Role;
  name: string;
  email: string;
  /** Passes the password policy (checked by features/demo/demo-data.test.ts). Demo only, never reuse. */
  password: string;
  description: string;
  /** Customer accounts only. */
  customerAccountNumber?: string;
  matchStatus?: CustomerMatchStatus;
  accountHint?: string;
  phoneE164?: string;
  phoneVerified?: boolean;
};

export const DEMO_USERS: readonly DemoUser[] = [
  {
    key: "alex",
    role: "agent",
    name: "Alex Morgan",
    email: "alex.morgan@helpdesk.example",
    password: "amber-kettle-48",
    description: "Agent: works the general queue; owns most Northwind tickets and Lumen Dental's unverified phone call.",
  },
  {
    key: "sam",
    role: "agent",
    name: "Sam Rivera",
    email: "sam.rivera@helpdesk.example",
    password: "velvet-compass-19",
    description: "Agent: handles Harbour Logistics (bouncing address) and Bluebell Bakery (expired agreement).",
  },
  {
    key: "jordan",
    role: "supervisor",
    name: "Jordan Lee",
    email: "jordan.lee@helpdesk.example",
    password: "granite-meadow-26",
    description: "Supervisor: escalations and overrides; owns the urgent Northwind and Kestrel tickets.",
  },
  {
    key: "robin",
    role: "admin",
    name: "Robin Hale",
    email: "robin.hale@helpdesk.example",
    password: "silver-orchard-85",
    description: "Administrator: manages staff accounts and settings.",
  },
  {
    key: "maya",
    role: "customer",
    name: "Maya Patel",
    email: "maya.patel@northwind.example",
    password: "lemon-tide-harp-31",
    description: "Customer portal: matched to Northwind Traders (ACC-10001), premium agreement valid, mobile verified.",
    customerAccountNumber: "ACC-10001",
    matchStatus: "matched",
    phoneE164: "+61491570157",
    phoneVerified: true,
  },
  {
    key: "tom",
    role: "customer",
    name: "Tom Reilly",
    email: "tom.reilly@bluebell-bakery.example",
    password: "cedar-wagon-64",
    description: "Customer portal: matched to Bluebell Bakery (ACC-10002), agreement expired.",
    customerAccountNumber: "ACC-10002",
    matchStatus: "matched",
  },
  {
    key: "henry",
    role: "customer",
    name: "Henry Walsh",
    email: "henry.walsh@lumen-dental.example",
    password: "blue-falcon-tea-52",
    description: "Customer portal: registered, email verified, awaiting an agent's match (typed Lumen Dental's account number).",
    matchStatus: "awaiting_match",
    accountHint: "ACC-10005 (Lumen Dental Clinic)",
  },
];

export type DemoSignIn = { role: Role; email: string; password: string; description: string };

/** Printed by the launcher in demo mode and used by the e2e tests. */
export const DEMO_SIGN_INS: readonly DemoSignIn[] = DEMO_USERS.map(({ role, email, password, description }) => ({ role, email, password, description }));

export function demoSignIn(key: DemoUserKey): DemoSignIn {
  const user = DEMO_USERS.find((candidate) => candidate.key === key);
  if (!user) throw new Error(`No demo user "${key}".`);
  return { role: user.role, email: user.email, password: user.password, description: user.description };
}

// ───────────────────────────── Tickets ─────────────────────────────

/** Who wrote a message: a demo account, or someone known only by an address. */
export type DemoAuthor = { user: DemoUserKey } | { address: string };

export type DemoMessage = {
  kind: MessageKind;
  author: DemoAuthor;
  minutesAfterOpen: number;
  body: string;
  /** Staff public replies only: what happened to the outgoing copy. */
  deliveryStatus?: MessageDeliveryStatus;
};

export type DemoTicket = {
  /** Stable and unique: the seed creates a demo ticket only when its number is free. */
  number: number;
  subject: string;
  category: string;
  channel: TicketChannel;
  status: TicketStatus;
  priority: TicketPriority;
  /** The customer the requester was matched to, if any. */
  customerAccountNumber?: string;
  requesterUser?: DemoUserKey;
  /** Address or number the request came from, exactly as given. */
  requesterAddress?: string;
  requesterName: string;
  assignee?: DemoUserKey;
  openedHoursAgo: number;
  messages: DemoMessage[];
  /** Identity checks made on this conversation (solved/closed tickets only, so queue badges stay as told). */
  identityChecks?: DemoIdentityCheck[];
  /** Escalations of this ticket, for the supervisor's reports. */
  escalations?: DemoEscalation[];
};

export type DemoIdentityCheck = {
  method: "caller_fields" | "email_code" | "sms_code";
  outcome: "passed" | "partial" | "failed";
  by: DemoUserKey;
  minutesAfterOpen: number;
  /** caller_fields only: per field, never the values. */
  fieldResults?: {
    name: "match" | "close" | "no_match" | "not_given";
    accountOrEmail: "match" | "close" | "no_match" | "not_given";
    phone: "match" | "close" | "no_match" | "not_given";
  };
};

export type DemoEscalation = {
  reason: "identity_unverified" | "customer_request" | "sla_at_risk" | "technical";
  note: string;
  raisedBy: DemoUserKey;
  assignee: DemoUserKey;
  minutesAfterOpen: number;
  resolvedAfterMinutes: number;
  outcome: string;
};

export const DEMO_TICKET_NUMBERS = { first: 1001, last: 1015 } as const;

export const DEMO_TICKETS: readonly DemoTicket[] = [
  {
    number: 1001,
    subject: "Invoice export fails with a timeout",
    category: "Billing",
    channel: "web",
    status: "open",
    priority: "high",
    customerAccountNumber: "ACC-10001",
    requesterUser: "maya",
    requesterAddress: "maya.patel@northwind.example",
    requesterName: "Maya Patel",
    assignee: "alex",
    openedHoursAgo: 26,
    messages: [
      {
        kind: "public_reply",
        author: { user: "maya" },
        minutesAfterOpen: 0,
        body: 'Exporting last quarter\'s invoices to CSV spins for a minute and then shows "Request timed out". Smaller date ranges work. We need the full export for our auditors by Friday.',
      },
      {
        kind: "public_reply",
        author: { user: "alex" },
        minutesAfterOpen: 42,
        body: "Hi Maya, thanks for the detail. I can reproduce it with ranges over about 5,000 invoices. While we fix it, exporting month by month works; I'll update you as soon as the full export is fixed.",
        deliveryStatus: "delivered",
      },
      {
        kind: "internal_note",
        author: { user: "alex" },
        minutesAfterOpen: 50,
        body: "Premium agreement valid, requester verified through her portal account. Raised with engineering: export query has no pagination.",
      },
    ],
  },
  {
    number: 1002,
    subject: "Adding a second billing contact",
    category: "Account",
    channel: "email",
    status: "new",
    priority: "normal",
    customerAccountNumber: "ACC-10001",
    requesterAddress: "maya.p.home@mail.example",
    requesterName: "Maya Patel",
    openedHoursAgo: 3,
    messages: [
      {
        kind: "public_reply",
        author: { address: "maya.p.home@mail.example" },
        minutesAfterOpen: 0,
        body: "Writing from my personal address as I'm travelling. Could our finance lead, Ravi, also receive invoices? Thanks, Maya",
      },
    ],
  },
  {
    number: 1003,
    subject: "Tracking page shows the wrong time zone",
    category: "Technical",
    channel: "email",
    status: "pending",
    priority: "normal",
    customerAccountNumber: "ACC-10003",
    requesterAddress: "sofia.andersson@harbour-logistics.example",
    requesterName: "Sofia Andersson",
    assignee: "sam",
    openedHoursAgo: 50,
    messages: [
      {
        kind: "public_reply",
        author: { address: "sofia.andersson@harbour-logistics.example" },
        minutesAfterOpen: 0,
        body: "Delivery times on the public tracking page are shown in UTC instead of Pacific time, and our customers think the drivers are late.",
      },
      {
        kind: "public_reply",
        author: { user: "sam" },
        minutesAfterOpen: 95,
        body: "Hi Sofia, could you tell me which time zone is set under Settings → Company profile? That setting drives the tracking page.",
        deliveryStatus: "bounced",
      },
      {
        kind: "internal_note",
        author: { user: "sam" },
        minutesAfterOpen: 110,
        body: "My reply bounced: her primary address has bounced 3 times. She has a verified personal alias (s.andersson@mail.example) and a verified mobile. Waiting on her before changing where we write.",
      },
    ],
  },
  {
    number: 1004,
    subject: "Production line controller offline",
    category: "Technical",
    channel: "phone",
    status: "solved",
    priority: "urgent",
    customerAccountNumber: "ACC-10004",
    requesterAddress: "+441174960222",
    requesterName: "Daniel Okafor",
    assignee: "jordan",
    openedHoursAgo: 120,
    messages: [
      {
        kind: "internal_note",
        author: { user: "jordan" },
        minutesAfterOpen: 0,
        body: "Call from Daniel Okafor, number matches Kestrel's verified main line. Controller lost its licence after a power cut. Agreement was cancelled last month; one-off help approved by me given the line was down.",
      },
      {
        kind: "public_reply",
        author: { user: "jordan" },
        minutesAfterOpen: 35,
        body: "Hi Daniel, as discussed on the phone: the licence has been reissued and the controller is back online. Note that your support agreement is no longer active; contact us if you would like to renew.",
        deliveryStatus: "delivered",
      },
    ],
    identityChecks: [
      {
        method: "caller_fields",
        outcome: "passed",
        by: "jordan",
        minutesAfterOpen: 2,
        fieldResults: { name: "match", accountOrEmail: "match", phone: "match" },
      },
    ],
    escalations: [
      {
        reason: "customer_request",
        note: "Production line down and the agreement was cancelled last month: needs a supervisor to approve one-off help.",
        raisedBy: "alex",
        assignee: "jordan",
        minutesAfterOpen: 1,
        resolvedAfterMinutes: 40,
        outcome: "One-off help approved while the line was down; renewal offered.",
      },
    ],
  },
  {
    number: 1005,
    subject: "Request for a quote",
    category: "Sales",
    channel: "email",
    status: "new",
    priority: "low",
    requesterAddress: "procurement@unknown-vendor.example",
    requesterName: "Procurement Team",
    openedHoursAgo: 6,
    messages: [
      {
        kind: "public_reply",
        author: { address: "procurement@unknown-vendor.example" },
        minutesAfterOpen: 0,
        body: "Hello, please send pricing for 40 seats and your standard terms. Regards, Procurement",
      },
    ],
  },
  {
    number: 1006,
    subject: "Card reader stopped syncing sales",
    category: "Technical",
    channel: "chat",
    status: "open",
    priority: "normal",
    customerAccountNumber: "ACC-10002",
    requesterUser: "tom",
    requesterAddress: "tom.reilly@bluebell-bakery.example",
    requesterName: "Tom Reilly",
    assignee: "sam",
    openedHoursAgo: 8,
    messages: [
      {
        kind: "public_reply",
        author: { user: "tom" },
        minutesAfterOpen: 0,
        body: "Since this morning the card reader sales don't show up in the daily report.",
      },
      {
        kind: "public_reply",
        author: { user: "sam" },
        minutesAfterOpen: 4,
        body: "Hi Tom, sorry about that. Could you restart the reader and tell me whether the status light turns green?",
        deliveryStatus: "delivered",
      },
      { kind: "public_reply", author: { user: "tom" }, minutesAfterOpen: 9, body: "It's green now but the report is still empty." },
      {
        kind: "internal_note",
        author: { user: "sam" },
        minutesAfterOpen: 12,
        body: "Bluebell's standard agreement expired three weeks ago. Helping with this one; will mention the renewal before closing.",
      },
    ],
  },
  {
    number: 1007,
    subject: "Password reset email never arrived",
    category: "Account",
    channel: "web",
    status: "closed",
    priority: "normal",
    customerAccountNumber: "ACC-10001",
    requesterUser: "maya",
    requesterAddress: "maya.patel@northwind.example",
    requesterName: "Maya Patel",
    assignee: "alex",
    openedHoursAgo: 24 * 30,
    messages: [
      { kind: "public_reply", author: { user: "maya" }, minutesAfterOpen: 0, body: "I asked for a password reset twice but nothing arrived." },
      {
        kind: "public_reply",
        author: { user: "alex" },
        minutesAfterOpen: 30,
        body: "Hi Maya, the reset emails were caught by your company's spam filter. Your IT team has now allowed our address; please try again.",
        deliveryStatus: "delivered",
      },
      { kind: "public_reply", author: { user: "maya" }, minutesAfterOpen: 75, body: "That worked, thank you!" },
    ],
  },
  {
    number: 1008,
    subject: "Question about VAT on invoices",
    category: "Billing",
    channel: "email",
    status: "solved",
    priority: "normal",
    customerAccountNumber: "ACC-10006",
    requesterAddress: "oliver@quarryhillbooks.example",
    requesterName: "Oliver Bennett",
    assignee: "alex",
    openedHoursAgo: 72,
    messages: [
      {
        kind: "public_reply",
        author: { address: "oliver@quarryhillbooks.example" },
        minutesAfterOpen: 0,
        body: "Our invoices don't show a tax number. Our accountant needs it on every invoice.",
      },
      {
        kind: "public_reply",
        author: { user: "alex" },
        minutesAfterOpen: 180,
        body: "Hi Oliver, you can add your tax number under Settings → Billing; it then appears on every new invoice. I've reissued last month's invoices with it.",
        deliveryStatus: "delivered",
      },
    ],
  },
  {
    number: 1009,
    subject: "Appointment reminders not sending",
    category: "Technical",
    channel: "phone",
    status: "open",
    priority: "high",
    customerAccountNumber: "ACC-10005",
    requesterAddress: "+61755504321",
    requesterName: "Grace Kim",
    assignee: "alex",
    openedHoursAgo: 20,
    messages: [
      {
        kind: "internal_note",
        author: { user: "alex" },
        minutesAfterOpen: 0,
        body: "Call from the clinic's main number (matches Lumen Dental's record). Caller says she is Grace Kim; not verified yet. Reminder texts stopped two days ago.",
      },
      {
        kind: "internal_note",
        author: { user: "alex" },
        minutesAfterOpen: 15,
        body: "No support agreement on file. Sent a quote for the basic plan; looking at the SMS logs as a courtesy.",
      },
    ],
  },
  {
    number: 1010,
    subject: "How do I link my account to our clinic?",
    category: "Account",
    channel: "web",
    status: "new",
    priority: "normal",
    requesterUser: "henry",
    requesterAddress: "henry.walsh@lumen-dental.example",
    requesterName: "Henry Walsh",
    openedHoursAgo: 2,
    messages: [
      {
        kind: "public_reply",
        author: { user: "henry" },
        minutesAfterOpen: 0,
        body: "I'm the new practice manager at Lumen Dental and registered today. How do I see the clinic's tickets?",
      },
    ],
  },
  {
    number: 1011,
    subject: "Firmware update schedule for the new line",
    category: "Technical",
    channel: "email",
    status: "on_hold",
    priority: "normal",
    customerAccountNumber: "ACC-10004",
    requesterAddress: "it-support@kestrel-eng.example",
    requesterName: "Kestrel IT",
    assignee: "jordan",
    openedHoursAgo: 96,
    messages: [
      {
        kind: "public_reply",
        author: { address: "it-support@kestrel-eng.example" },
        minutesAfterOpen: 0,
        body: "When will firmware 4.2 be available for the controllers on our new line?",
      },
      {
        kind: "public_reply",
        author: { user: "jordan" },
        minutesAfterOpen: 240,
        body: "Thanks for asking. The release date is not set yet; I'll let you know as soon as it is.",
        deliveryStatus: "delivered",
      },
      { kind: "internal_note", author: { user: "jordan" }, minutesAfterOpen: 245, body: "On hold until engineering publishes the 4.2 date." },
    ],
  },
  {
    number: 1012,
    subject: "Change delivery address for printed manuals",
    category: "Orders",
    channel: "chat",
    status: "solved",
    priority: "low",
    customerAccountNumber: "ACC-10006",
    requesterAddress: "oliver@quarryhillbooks.example",
    requesterName: "Oliver Bennett",
    assignee: "sam",
    openedHoursAgo: 48,
    messages: [
      {
        kind: "public_reply",
        author: { address: "oliver@quarryhillbooks.example" },
        minutesAfterOpen: 0,
        body: "Please send the printed manuals to our new shop at 12 Harbor Street instead.",
      },
      {
        kind: "public_reply",
        author: { user: "sam" },
        minutesAfterOpen: 6,
        body: "Done: the manuals will go to 12 Harbor Street.",
        deliveryStatus: "delivered",
      },
    ],
    identityChecks: [
      { method: "email_code", outcome: "failed", by: "sam", minutesAfterOpen: 2 },
      { method: "email_code", outcome: "passed", by: "sam", minutesAfterOpen: 4 },
    ],
  },
  {
    number: 1013,
    subject: "Missing pallets on yesterday's delivery",
    category: "Orders",
    channel: "email",
    status: "pending",
    priority: "high",
    customerAccountNumber: "ACC-10003",
    requesterAddress: "s.andersson@mail.example",
    requesterName: "Sofia Andersson",
    assignee: "sam",
    openedHoursAgo: 30,
    messages: [
      {
        kind: "public_reply",
        author: { address: "s.andersson@mail.example" },
        minutesAfterOpen: 0,
        body: "Two pallets were missing from yesterday's delivery to the Oakland depot. Writing from my personal address because work email seems to be down.",
      },
      {
        kind: "public_reply",
        author: { user: "sam" },
        minutesAfterOpen: 60,
        body: "Hi Sofia, I've opened a trace with the carrier. Could you send the delivery note number?",
        deliveryStatus: "delivered",
      },
    ],
  },
  {
    number: 1014,
    subject: "Update phone number on account",
    category: "Account",
    channel: "phone",
    status: "closed",
    priority: "normal",
    customerAccountNumber: "ACC-10002",
    requesterAddress: "+61370105678",
    requesterName: "Tom Reilly",
    assignee: "alex",
    openedHoursAgo: 24 * 21,
    messages: [
      {
        kind: "internal_note",
        author: { user: "alex" },
        minutesAfterOpen: 0,
        body: "Caller asked to replace the shop's mobile number. Did not change it over the phone: asked him to update it in the portal, where the new number gets a code.",
      },
      {
        kind: "public_reply",
        author: { user: "alex" },
        minutesAfterOpen: 10,
        body: "Hi Tom, as discussed: please update the number under My account in the portal; it will send a code to the new phone.",
        deliveryStatus: "delivered",
      },
    ],
    identityChecks: [
      {
        method: "caller_fields",
        outcome: "partial",
        by: "alex",
        minutesAfterOpen: 1,
        fieldResults: { name: "match", accountOrEmail: "match", phone: "no_match" },
      },
      { method: "sms_code", outcome: "passed", by: "alex", minutesAfterOpen: 4 },
    ],
  },
  {
    number: 1015,
    subject: "Data import duplicated 1,200 customer records",
    category: "Technical",
    channel: "email",
    status: "open",
    priority: "urgent",
    customerAccountNumber: "ACC-10001",
    requesterUser: "maya",
    requesterAddress: "maya.patel@northwind.example",
    requesterName: "Maya Patel",
    assignee: "jordan",
    openedHoursAgo: 5,
    messages: [
      {
        kind: "public_reply",
        author: { address: "maya.patel@northwind.example" },
        minutesAfterOpen: 0,
        body: "This morning's scheduled import ran twice and now every customer from the import appears twice. Please help us undo it before our sales team starts calling.",
      },
      {
        kind: "internal_note",
        author: { user: "alex" },
        minutesAfterOpen: 20,
        body: "Premium customer, urgent. Passing to Jordan: a rollback needs supervisor approval.",
      },
      {
        kind: "public_reply",
        author: { user: "jordan" },
        minutesAfterOpen: 45,
        body: "Hi Maya, we are restoring your records to their state before the second import. Please pause further imports until I confirm.",
        deliveryStatus: "sent",
      },
    ],
  },
];

/** Canned replies agents start with; they can edit them at /console/canned-replies. */
export const DEMO_CANNED_REPLIES: readonly { title: string; body: string }[] = [
  {
    title: "Identity check before account changes",
    body: "Before we change anything on your account, we need to confirm it is really you. We have sent a 6-digit code to the email address or mobile number on your record; please read it back to us or reply with it.",
  },
  {
    title: "Bounced email: confirm your address",
    body: "Our last email to you could not be delivered. Please confirm the best email address to reach you, or update it under Account › Email address in the support portal.",
  },
  {
    title: "Agreement expired",
    body: "Your support agreement has expired, so we can only help with urgent issues for now. Your account manager can renew it; once renewed, full support and downloads are available again.",
  },
  {
    title: "Solved: closing the ticket",
    body: "We believe this is solved, so we are marking the ticket as solved. If anything is still not right, just reply to this email and the ticket reopens.",
  },
];
