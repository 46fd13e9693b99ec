import "server-only";
import Link from "next/link";
import { currentActor } from "@/platform/auth/guard";
import { mayEnter } from "@/platform/auth/policy";
import { deliveryAlertText, deliveryHealth } from "@/platform/outbox/failures";
import { Alert } from "@/ui/alert";

/** On every supervisor page while the failure rate is above the alert threshold (platform/outbox/failures.ts). */
export async function DeliveryAlertBanner() {
  const actor = await currentActor();
  // The layout renders before the page's own guard: show nothing to anyone who may not see it.
  if (!actor || !mayEnter(actor.role, "supervisor")) return null;
  const health = await deliveryHealth();
  if (!health.alerting) return null;
  return (
    <div className="mb-6">
      <Alert tone="error" title="Outgoing messages are failing">
        <p>
          {deliveryAlertText(health)} Email or SMS delivery may be down.{" "}
          <Link href="/supervisor/outbox" className="font-semibold underline">
            See the outgoing messages
          </Link>
          .
        </p>
      </Alert>
    </div>
  );
}
