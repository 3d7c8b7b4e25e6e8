// Loading what the screening pages share: the protocols (loaded at the
// service's start, so read once per visit of the app) and staff members'
// names (screenings name the therapist and the addenda's authors by resource
// name only).
import type { ScreeningProtocol } from "../../gen/clinic/screenings/v1/screenings_pb";
import { memberName } from "../account/auth-model";
import { callTimeoutMs, screenings, staff } from "../shared/api";

let protocolsOnce: Promise<ScreeningProtocol[]> | undefined;

/** ListScreeningProtocols, once; a failure is not kept (the next call tries again). */
export function loadProtocols(): Promise<ScreeningProtocol[]> {
  protocolsOnce ??= screenings
    .listScreeningProtocols({}, { timeoutMs: callTimeoutMs })
    .then((res) => res.protocols)
    .catch((err) => {
      protocolsOnce = undefined;
      throw err;
    });
  return protocolsOnce;
}

const staffNames = new Map<string, Promise<string>>();

/** A staff member's name ("Ann Lee"), by GetStaffMember once per member; "a colleague" if it cannot be read. */
export function staffName(name: string): Promise<string> {
  if (!name) return Promise.resolve("");
  let found = staffNames.get(name);
  if (!found) {
    found = staff.getStaffMember({ name }, { timeoutMs: callTimeoutMs }).then(
      (m) => memberName(m),
      () => {
        staffNames.delete(name);
        return "a colleague";
      },
    );
    staffNames.set(name, found);
  }
  return found;
}
