import "server-only";
import { Panel } from "@/ui/panel";
import { LocalTime } from "@/ui/local-time";
import { devicesAndSessions } from "@/features/accounts/devices/known-devices";
import { SignOutButton } from "@/features/accounts/devices/components/device-buttons";

/** The security page's "Devices and sessions": known browsers and live sessions, each with a way to sign it out. */
export async function DevicesSection({ userId, sessionId }: { userId: string; sessionId: string }) {
  const now = new Date();
  const { devices, sessions } = await devicesAndSessions(userId, sessionId, now);
  const others = sessions.filter((session) => !session.current).length;
  return (
    <Panel
      id="devices"
      title="Devices and sessions"
      description="Browsers you have signed in from, and where you are signed in now. Forgetting a browser ends its sessions; signing in from it again asks for a code."
    >
      <div className="flex flex-col gap-6">
        <section aria-labelledby="known-devices-heading" className="flex flex-col gap-3">
          <h3 id="known-devices-heading" className="text-sm font-semibold text-slate-900">
            Known browsers
          </h3>
          {devices.length === 0 ? (
            <p className="text-sm text-slate-600">No browser is remembered yet.</p>
          ) : (
            <ul className="flex flex-col divide-y divide-slate-100" aria-label="Known browsers">
              {devices.map((device) => (
                <li key={device.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-start sm:justify-between">
                  <div className="min-w-0 text-sm">
                    <p className="font-medium text-slate-900">
                      {device.browser}
                      {device.current ? <span className="ml-2 rounded bg-green-100 px-1.5 py-0.5 text-xs text-green-800">This browser</span> : null}
                    </p>
                    <p className="break-all text-slate-600">Last address {device.place}</p>
                    <p className="text-slate-600">
                      Last used <LocalTime value={device.lastSeenAt} ageAt={now} /> · first seen <LocalTime value={device.firstSeenAt} style="date" />
                      {device.activeSessions > 0 ? ` · ${device.activeSessions} active session${device.activeSessions === 1 ? "" : "s"}` : ""}
                    </p>
                  </div>
                  <SignOutButton
                    target={{ kind: "device", id: device.id }}
                    label="Forget browser"
                    accessibleName={`Forget browser: ${device.browser}${device.current ? " (this browser)" : ""}`}
                  />
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="sessions-heading" className="flex flex-col gap-3">
          <h3 id="sessions-heading" className="text-sm font-semibold text-slate-900">
            Signed in now
          </h3>
          <ul className="flex flex-col divide-y divide-slate-100" aria-label="Active sessions">
            {sessions.map((session) => (
              <li key={session.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-start sm:justify-between">
                <div className="min-w-0 text-sm">
                  <p className="font-medium text-slate-900">
                    {session.browser}
                    {session.current ? <span className="ml-2 rounded bg-green-100 px-1.5 py-0.5 text-xs text-green-800">This session</span> : null}
                  </p>
                  <p className="break-all text-slate-600">From {session.place}</p>
                  <p className="text-slate-600">
                    Signed in <LocalTime value={session.createdAt} /> · last active <LocalTime value={session.lastSeenAt} ageAt={now} />
                  </p>
                </div>
                {session.current ? null : (
                  <SignOutButton target={{ kind: "session", id: session.id }} label="End session" accessibleName={`End session: ${session.browser}`} />
                )}
              </li>
            ))}
          </ul>
          {others > 0 ? <SignOutButton target={{ kind: "others" }} label="End all other sessions" accessibleName="End all other sessions" /> : null}
        </section>
      </div>
    </Panel>
  );
}
