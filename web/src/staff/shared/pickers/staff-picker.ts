import { StaffRole } from "../../../gen/clinic/api/v1/access_pb";
import { memberName } from "../../account/auth-model";
import { PickerCombobox, type SearchResult } from "./combobox";
import { loadStaffMembers } from "./names";
import { matchStaff, resultsWords, staffOption } from "./picker-model";

/**
 * <staff-picker label="Staff member" .value=${"staff/…"} @pick=${…}>: finds a
 * staff member by name as it is typed (every member is read once with
 * StaffService.ListStaffMembers; accents and case ignored), shows names and
 * roles, and fires `pick` with the chosen "staff/…" (see PickerCombobox).
 * `staffRole` keeps to one role (StaffRole.THERAPIST); `includeDeactivated` lists
 * members who left too (admins only).
 */
export class StaffPicker extends PickerCombobox {
  static override properties = {
    ...PickerCombobox.properties,
    staffRole: { type: Number },
    includeDeactivated: { type: Boolean },
  };
  declare staffRole: StaffRole;
  declare includeDeactivated: boolean;

  constructor() {
    super();
    this.staffRole = StaffRole.UNSPECIFIED;
    this.includeDeactivated = false;
    this.placeholder = "Type a name";
  }

  protected override async search(text: string): Promise<SearchResult> {
    const members = await loadStaffMembers(this.includeDeactivated);
    const limit = 50;
    const found = matchStaff(members, text, { role: this.staffRole, limit: limit + 1 });
    return {
      options: found.slice(0, limit).map(staffOption),
      status: resultsWords(Math.min(found.length, limit), ["staff member", "staff members"], found.length > limit),
    };
  }

  protected override async resolveLabel(value: string): Promise<string> {
    const m = (await loadStaffMembers(this.includeDeactivated)).find((x) => x.name === value);
    return m ? memberName(m) : "Unknown staff member";
  }
}

customElements.define("staff-picker", StaffPicker);
