import "server-only";
import { Panel } from "@/ui/panel";
import { formatInstant, supportedTimeZones } from "@/platform/time-zone";
import { ownTimeZone } from "@/features/accounts/time-zone/time-zone";
import { TimeZoneForm } from "@/features/accounts/time-zone/components/time-zone-form";

/** The account page's "Time zone" section: every time Veridesk shows this person is written in it. */
export async function TimeZoneSection({ userId }: { userId: string }) {
  const current = await ownTimeZone(userId);
  return (
    <Panel id="account-time-zone" title="Time zone">
      <TimeZoneForm current={current} zones={supportedTimeZones()} now={{ text: formatInstant(new Date(), current, "time") }} />
    </Panel>
  );
}
