// The practice's locations, which change rarely: read once per visit of the
// app (ListLocations, every page) and shared by the pages that name them. A
// failure is not kept: the next call tries again.
import type { Location } from "../../gen/clinic/appointments/v1/appointments_pb";
import { callTimeoutMs, locations } from "./api";

let locationsOnce: Promise<Location[]> | undefined;

/** Every location, active or not. */
export function loadLocations(): Promise<Location[]> {
  locationsOnce ??= (async () => {
    const out: Location[] = [];
    let pageToken = "";
    for (let i = 0; i < 10; i++) {
      const res = await locations.listLocations({ pageSize: 200, pageToken }, { timeoutMs: callTimeoutMs });
      out.push(...res.locations);
      pageToken = res.nextPageToken;
      if (!pageToken) break;
    }
    return out;
  })().catch((err) => {
    locationsOnce = undefined;
    throw err;
  });
  return locationsOnce;
}

/** The locations' display names by resource name ("locations/…" → "Downtown"). */
export async function loadLocationNames(): Promise<Map<string, string>> {
  return new Map((await loadLocations()).map((l) => [l.name, l.displayName]));
}
