import "server-only";
import { cookies } from "next/headers";
import { publicBaseUrl } from "@/platform/env";
import {
  openPendingRegistration,
  PENDING_REGISTRATION_COOKIE,
  PENDING_REGISTRATION_COOKIE_PATH,
  pendingCookieOptions,
  sealPendingRegistration,
  type PendingRegistration,
} from "@/features/accounts/registration/pending-registration";

/**
 * Reading and writing the sealed pending-registration cookie (features/accounts/registration/pending-registration.ts)
 * from pages and server actions. Writing works only in server actions, as Next.js allows.
 */

export async function readPendingState(): Promise<PendingRegistration | null> {
  return openPendingRegistration((await cookies()).get(PENDING_REGISTRATION_COOKIE)?.value);
}

export async function writePendingState(state: PendingRegistration): Promise<void> {
  (await cookies()).set(PENDING_REGISTRATION_COOKIE, sealPendingRegistration(state), pendingCookieOptions(publicBaseUrl().startsWith("https://")));
}

export async function clearPendingState(): Promise<void> {
  (await cookies()).delete({ name: PENDING_REGISTRATION_COOKIE, path: PENDING_REGISTRATION_COOKIE_PATH });
}
