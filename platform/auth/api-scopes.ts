/** The REST API's scopes: plain data, so the admin page (a client component) can list them too. */
export const API_SCOPES = ["tickets:read", "tickets:write", "customers:read", "customers:write", "identity:read", "webhooks:manage"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const API_SCOPE_DESCRIPTION: Record<ApiScope, string> = {
  "tickets:read": "List and read tickets and their messages",
  "tickets:write": "Create tickets, change status, priority and assignee, add replies and notes",
  "customers:read": "Search and read customers, their addresses, phones and agreements",
  "customers:write": "Create and update customers, their addresses and phones",
  "identity:read": "Read a ticket's identity status and its evidence",
  "webhooks:manage": "Manage webhook endpoints",
};

/** Requests per minute one API token may make (counted in PostgreSQL by apiRoute, platform/auth/guard.ts). */
export const API_REQUESTS_PER_MINUTE = 600;
