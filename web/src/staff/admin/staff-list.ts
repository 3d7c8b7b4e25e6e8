import { html, nothing } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import { StaffState, type StaffMember } from "../../gen/clinic/staff/v1/staff_pb";
import { callTimeoutMs, staff } from "../shared/api";
import { memberName, rolesText, staffId } from "../account/auth-model";
import { LightElement, announcePage } from "../shared/light-element";
import { describeCallError } from "../shared/errors";
import "../shared/no-access";
import { moreButton } from "../shared/more-button";

const pageSize = 100;

/** <staff-list>: Admin → Staff: every member, "Show deactivated", "More". */
export class StaffList extends LightElement {
  static override properties = {
    showDeactivated: { state: true },
    members: { state: true },
    nextPageToken: { state: true },
    loading: { state: true },
    error: { state: true },
    denied: { state: true },
  };
  declare showDeactivated: boolean;
  declare members: StaffMember[];
  declare nextPageToken: string;
  declare loading: boolean;
  declare error: string;
  declare denied: boolean;

  private abort?: AbortController;

  constructor() {
    super();
    this.showDeactivated = new URLSearchParams(location.search).get("deactivated") === "1";
    this.members = [];
    this.nextPageToken = "";
    this.loading = false;
    this.error = "";
    this.denied = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    super.disconnectedCallback();
  }

  protected override firstUpdated(): void {
    announcePage(this, "Staff");
  }

  private async load(pageToken = ""): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.error = "";
    try {
      const res = await staff.listStaffMembers(
        { pageSize, pageToken, showDeactivated: this.showDeactivated },
        { signal: abort.signal, timeoutMs: callTimeoutMs },
      );
      if (abort.signal.aborted) return;
      this.members = pageToken ? [...this.members, ...res.staffMembers] : res.staffMembers;
      this.nextPageToken = res.nextPageToken;
    } catch (err) {
      if (abort.signal.aborted) return;
      const e = ConnectError.from(err);
      if (e.code === Code.Canceled) return;
      if (e.code === Code.PermissionDenied) this.denied = true;
      else this.error = describeCallError(e);
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }

  private onToggle(e: Event): void {
    this.showDeactivated = (e.target as HTMLInputElement).checked;
    history.replaceState(null, "", "/staff/admin/staff" + (this.showDeactivated ? "?deactivated=1" : ""));
    void this.load();
  }

  private row(m: StaffMember) {
    const deactivated = m.state === StaffState.DEACTIVATED;
    return html`<tr>
      <th scope="row">
        <a href="/staff/admin/staff/${encodeURIComponent(staffId(m.name))}">${memberName(m)}</a>
        ${deactivated ? html` <span class="badge">deactivated</span>` : nothing}
      </th>
      <td>${rolesText(m.roles)}</td>
      <td class="hide-narrow break">${m.email}</td>
      <td class="hide-narrow">${m.credentials.join(", ")}</td>
    </tr>`;
  }

  override render() {
    if (this.denied) return html`<no-access></no-access>`;
    const count = this.members.length;
    return html`
      <div class="toolbar">
        <h1>Staff</h1>
        <a href="/staff/admin/staff/new" class="button-link">New staff member</a>
      </div>
      <label>
        <input type="checkbox" role="switch" .checked=${this.showDeactivated} @change=${this.onToggle} />
        Show deactivated members
      </label>
      ${this.error
        ? html`<div class="notice error" role="alert">
            <p>${this.error}</p>
            <button type="button" class="secondary" @click=${() => this.load()}>Try again</button>
          </div>`
        : nothing}
      <p role="status" aria-live="polite" id="staff-status">
        ${this.loading
          ? "Loading…"
          : count === 0
            ? "No staff members."
            : `${count}${this.nextPageToken ? "+" : ""} member${count === 1 ? "" : "s"} shown.`}
      </p>
      ${count > 0
        ? html`<div class="overflow-auto">
            <table class="striped" aria-describedby="staff-status">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Roles</th>
                  <th scope="col" class="hide-narrow">Email</th>
                  <th scope="col" class="hide-narrow">Credentials</th>
                </tr>
              </thead>
              <tbody>
                ${this.members.map((m) => this.row(m))}
              </tbody>
            </table>
          </div>`
        : nothing}
      ${moreButton(this.nextPageToken, this.loading, (t) => this.load(t))}
    `;
  }
}

customElements.define("staff-list", StaffList);
