import { html, nothing, type TemplateResult } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import { StaffState, type StaffMember } from "../../gen/clinic/staff/v1/staff_pb";
import type { StaffRole } from "../../gen/clinic/api/v1/access_pb";
import { callTimeoutMs, staff } from "../shared/api";
import { currentMember, setCurrentMember } from "../account/auth";
import { assignableRoles, memberName, roleLabels, staffId } from "../account/auth-model";
import { describeCallError } from "../shared/errors";
import { FormState } from "../shared/form";
import { LightElement, announcePage } from "../shared/light-element";
import { newRequestId } from "../shared/request-id";
import { formatLocalTime } from "./audit-model";
import { takeFlash } from "../router";
import type { Location } from "../../gen/clinic/appointments/v1/appointments_pb";
import { loadLocations } from "../shared/directory";
import { forgetStaffMembers } from "../shared/pickers/names";
import { locationLabel, type PickDetail } from "../shared/pickers/picker-model";
import "../shared/pickers/location-picker";
import "./admin.css";
import {
  addHomeLocation,
  checkStaffValues,
  emptyStaffValues,
  memberFromValues,
  removeHomeLocation,
  staffChangedPaths,
  staffErrorPrefixes,
  staffFieldLabels,
  staffFields,
  valuesFromMember,
  type StaffField,
  type StaffFormValues,
} from "./staff-model";
import "../shared/no-access";
import "../account/one-time-password";

const inputId = (field: StaffField) => "sf-" + field;

type TextField = Exclude<StaffField, "roles" | "home_locations">;

/**
 * <staff-member-page>: Admin → Staff → New (CreateStaffMember, then the
 * one-time password), or one member (GetStaffMember; UpdateStaffMember with
 * update_mask + etag; DeactivateStaffMember; ResetPassword).
 */
export class StaffMemberPage extends LightElement {
  static override properties = {
    memberId: { type: String },
    member: { state: true },
    values: { state: true },
    loading: { state: true },
    loadError: { state: true },
    denied: { state: true },
    notice: { state: true },
    confirming: { state: true },
    oneTimePassword: { state: true },
    created: { state: true },
    locationList: { state: true },
    locationToAdd: { state: true },
    locationNotice: { state: true },
  };
  declare memberId: string | undefined;
  declare member: StaffMember | undefined;
  declare values: StaffFormValues;
  declare loading: boolean;
  declare loadError: string;
  declare denied: boolean;
  declare notice: string;
  /** Which action waits for "Yes": deactivate or reset the password. */
  declare confirming: "" | "deactivate" | "reset";
  declare oneTimePassword: string;
  /** After CreateStaffMember: the new member (the form is then replaced). */
  declare created: StaffMember | undefined;
  /** The practice's locations, to name the home locations. */
  declare locationList: Location[];
  /** The location chosen in "Add a home location", not added yet. */
  declare locationToAdd: string;
  /** What the last add or remove did, for screen readers. */
  declare locationNotice: string;

  private original: StaffFormValues = emptyStaffValues();
  private requestId = newRequestId();
  private loadedId?: string;
  private abort?: AbortController;
  /** Saving, deactivating, resetting the password, and the errors of the last try. */
  private form = new FormState<StaffField>(this, {
    fields: staffFields,
    prefixes: staffErrorPrefixes,
    idOf: inputId,
    summaryId: "form-problems",
    describe: (e) => describeCallError(e, "No such staff member."),
  });

  constructor() {
    super();
    this.memberId = undefined;
    this.member = undefined;
    this.values = emptyStaffValues();
    this.loading = false;
    this.loadError = "";
    this.denied = false;
    this.notice = "";
    this.confirming = "";
    this.oneTimePassword = "";
    this.created = undefined;
    this.locationList = [];
    this.locationToAdd = "";
    this.locationNotice = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    loadLocations().then(
      (list) => (this.locationList = list),
      () => {
        // The picker says the locations could not be loaded, and offers to try again.
      },
    );
  }

  private get isNew(): boolean {
    return !this.memberId;
  }

  private get isSelf(): boolean {
    return !!this.member && currentMember()?.name === this.member.name;
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    super.disconnectedCallback();
  }

  protected override willUpdate(): void {
    if (this.memberId && this.memberId !== this.loadedId) {
      this.loadedId = this.memberId;
      this.member = undefined;
      this.oneTimePassword = "";
      this.notice = takeFlash();
      void this.load();
    }
  }

  protected override firstUpdated(): void {
    if (this.isNew) announcePage(this, "New staff member");
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.loadError = "";
    this.form.clear();
    this.confirming = "";
    try {
      const m = await staff.getStaffMember(
        { name: `staff/${this.memberId}` },
        { signal: abort.signal, timeoutMs: callTimeoutMs },
      );
      if (abort.signal.aborted) return;
      this.show(m);
      await this.updateComplete;
      announcePage(this, memberName(m) || "Staff member");
    } catch (err) {
      if (abort.signal.aborted) return;
      const e = ConnectError.from(err);
      if (e.code === Code.Canceled) return;
      if (e.code === Code.PermissionDenied) {
        this.denied = true;
        return;
      }
      this.member = undefined;
      this.loadError =
        e.code === Code.NotFound || e.code === Code.InvalidArgument
          ? "No such staff member: there is no member at this address."
          : describeCallError(e);
      await this.updateComplete;
      announcePage(this, "Staff member");
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }

  private show(m: StaffMember): void {
    this.member = m;
    this.original = valuesFromMember(m);
    this.values = { ...this.original, roles: [...this.original.roles] };
    this.locationToAdd = "";
    this.locationNotice = "";
    // Editing oneself changes the name in the header too.
    if (currentMember()?.name === m.name) setCurrentMember(m);
  }

  private setText(field: TextField, value: string): void {
    this.values = { ...this.values, [field]: value };
    this.form.clearField(field);
  }

  private toggleRole(role: StaffRole, on: boolean): void {
    const roles = this.values.roles.filter((r) => r !== role);
    if (on) roles.push(role);
    this.values = { ...this.values, roles };
    this.form.clearField("roles");
  }

  private async onSubmit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.form.busy) return;
    this.notice = "";
    this.oneTimePassword = "";
    // A location chosen but not added yet is what the person meant to save.
    if (this.locationToAdd) {
      this.values = { ...this.values, home_locations: addHomeLocation(this.values.home_locations, this.locationToAdd) };
      this.locationToAdd = "";
    }
    const check = checkStaffValues(this.values);
    if (Object.keys(check.fields).length > 0) {
      await this.form.show(check);
      return;
    }
    await this.form.run(async () => {
      if (this.isNew) {
        const res = await staff.createStaffMember(
          { staffMember: memberFromValues(this.values), requestId: this.requestId },
          { timeoutMs: callTimeoutMs },
        );
        this.created = res.staffMember;
        this.oneTimePassword = res.initialPassword;
        forgetStaffMembers();
        document.title = `Staff member created — Clinic staff`;
        return;
      }
      const current = this.member;
      if (!current) return;
      const paths = staffChangedPaths(this.original, this.values);
      if (paths.length === 0) {
        this.notice = "Nothing to save: no field was changed.";
        return;
      }
      const m = memberFromValues(this.values);
      m.name = current.name;
      m.etag = current.etag;
      const updated = await staff.updateStaffMember({ staffMember: m, updateMask: { paths } }, { timeoutMs: callTimeoutMs });
      forgetStaffMembers();
      this.show(updated);
      this.notice =
        paths.includes("roles") || paths.includes("email")
          ? "Saved. Their sessions were ended: they log in again to use the new roles or email."
          : "Saved.";
    });
  }

  private async deactivate(): Promise<void> {
    const current = this.member;
    if (!current || this.form.busy) return;
    this.notice = "";
    await this.form.run(
      async () => {
        try {
          const m = await staff.deactivateStaffMember({ name: current.name }, { timeoutMs: callTimeoutMs });
          forgetStaffMembers();
          this.show(m);
          this.notice = `${memberName(m)} is deactivated and was logged out everywhere.`;
        } finally {
          this.confirming = "";
        }
      },
      {
        describe: (e) =>
          e.code === Code.FailedPrecondition
            ? e.rawMessage || "This member cannot be deactivated."
            : describeCallError(e, "No such staff member."),
      },
    );
  }

  private async resetPassword(): Promise<void> {
    const current = this.member;
    if (!current || this.form.busy) return;
    this.notice = "";
    this.oneTimePassword = "";
    await this.form.run(async () => {
      try {
        const res = await staff.resetPassword({ name: current.name }, { timeoutMs: callTimeoutMs });
        this.oneTimePassword = res.newPassword;
      } finally {
        this.confirming = "";
      }
    });
  }

  private input(field: TextField, options: { type?: string; required?: boolean; hint?: string; autocomplete?: string } = {}) {
    const id = inputId(field);
    const aria = this.form.aria(field, ...(options.hint ? [`${id}-hint`] : []));
    return html`<div>
      <label for=${id}>${staffFieldLabels[field]}${options.required ? html` <small>(required)</small>` : nothing}</label>
      <input
        id=${id}
        name=${field}
        type=${options.type ?? "text"}
        autocomplete=${options.autocomplete ?? "off"}
        spellcheck="false"
        ?required=${options.required}
        aria-invalid=${aria.invalid}
        aria-describedby=${aria.describedBy}
        .value=${this.values[field]}
        @input=${(e: Event) => this.setText(field, (e.target as HTMLInputElement).value)}
      />
      ${this.form.error(field)}
      ${options.hint ? html`<small class="hint" id="${id}-hint">${options.hint}</small>` : nothing}
    </div>`;
  }

  private rolesFieldset() {
    const aria = this.form.aria("roles");
    return html`<fieldset id=${inputId("roles")} aria-describedby=${aria.describedBy}>
      <legend>Roles <small>(at least one)</small></legend>
      ${assignableRoles.map(
        (role) => html`<label>
          <input
            type="checkbox"
            name="roles"
            value=${String(role)}
            aria-invalid=${aria.invalid}
            .checked=${this.values.roles.includes(role)}
            @change=${(e: Event) => this.toggleRole(role, (e.target as HTMLInputElement).checked)}
          />
          ${roleLabels[role]}
        </label>`,
      )}
      ${this.form.error("roles")}
    </fieldset>`;
  }

  private addLocation(): void {
    const location = this.locationToAdd;
    if (!location) return;
    this.values = { ...this.values, home_locations: addHomeLocation(this.values.home_locations, location) };
    this.locationToAdd = "";
    this.locationNotice = `${locationLabel(location, this.locationList)} added. Save to keep it.`;
    this.form.clearField("home_locations");
  }

  private async removeLocation(location: string): Promise<void> {
    this.values = { ...this.values, home_locations: removeHomeLocation(this.values.home_locations, location) };
    this.locationNotice = `${locationLabel(location, this.locationList)} removed. Save to keep the change.`;
    this.form.clearField("home_locations");
    await this.updateComplete;
    this.querySelector<HTMLElement>("#sf-home-location-add")?.focus();
  }

  /** Home locations by name: the ones chosen (each with "Remove"), and a location picker to add one. */
  private homeLocations() {
    const id = inputId("home_locations");
    const aria = this.form.aria("home_locations", `${id}-hint`);
    const chosen = this.values.home_locations;
    return html`<fieldset id=${id} aria-describedby=${aria.describedBy}>
      <legend>${staffFieldLabels.home_locations}</legend>
      ${chosen.length
        ? html`<ul class="chosen-locations" aria-label="Chosen home locations">
            ${chosen.map((l) => {
              const name = locationLabel(l, this.locationList);
              return html`<li>
                <span>${this.locationList.length ? name : "…"}</span>
                <button type="button" class="secondary outline small" aria-label="Remove ${name}" @click=${() => this.removeLocation(l)}>Remove</button>
              </li>`;
            })}
          </ul>`
        : html`<p class="muted">None.</p>`}
      <div class="add-location">
        <div>
          <location-picker
            inputId="sf-home-location-add"
            label="Add a home location"
            emptyLabel="Choose a location…"
            emptyChoosable
            .value=${this.locationToAdd}
            .exclude=${chosen}
            @pick=${(e: CustomEvent<PickDetail>) => (this.locationToAdd = e.detail.value)}
          ></location-picker>
        </div>
        <button type="button" class="secondary" ?disabled=${!this.locationToAdd} @click=${this.addLocation}>Add</button>
      </div>
      <p class="visually-hidden" role="status">${this.locationNotice}</p>
      ${this.form.error("home_locations")}
      <small class="hint" id="${id}-hint">Where they usually work.</small>
    </fieldset>`;
  }

  private problems(): TemplateResult | typeof nothing {
    if (this.form.conflict) {
      return html`<div class="notice error" role="alert" id="form-problems" tabindex="-1">
        <p><strong>Someone else changed this member; reload.</strong> Reloading shows their changes; yours are not saved.</p>
        <button type="button" class="secondary" @click=${() => this.load()}>Reload</button>
      </div>`;
    }
    return this.form.summary(this.isNew ? "The member was not created:" : "Not saved:", staffFieldLabels);
  }

  private editForm() {
    const disabled = this.form.busy || this.loading;
    return html`<form @submit=${this.onSubmit} novalidate>
      ${this.problems()}
      <div class="grid">
        ${this.input("given_name", { required: true })} ${this.input("family_name", { required: true })}
      </div>
      ${this.input("email", {
        type: "email",
        required: true,
        hint: this.isNew ? "Their login." : "Their login. Changing it logs them out everywhere.",
      })}
      ${this.rolesFieldset()}
      ${this.input("credentials", { hint: "For therapists, e.g. “PT, OCS”: separated by commas or spaces." })}
      ${this.homeLocations()}
      <div class="actions">
        <button type="submit" ?disabled=${disabled} aria-busy=${this.form.busy ? "true" : "false"}>
          ${this.isNew ? "Create staff member" : "Save changes"}
        </button>
        <a href="/staff/admin/staff" class="secondary">${this.isNew ? "Cancel" : "Back to staff"}</a>
      </div>
    </form>`;
  }

  private renderCreated(m: StaffMember) {
    const name = memberName(m);
    return html`<h1>Staff member created</h1>
      <p>${name} (${m.email}) can now log in.</p>
      ${this.oneTimePassword
        ? html`<one-time-password .password=${this.oneTimePassword} .memberName=${name} heading="Their first password"></one-time-password>`
        : html`<div class="notice" role="status">
            <p>This member was already created by an earlier attempt, so the password is not shown again. Reset their password on their page to get a new one.</p>
          </div>`}
      <div class="actions">
        <a href="/staff/admin/staff/${encodeURIComponent(staffId(m.name))}">Open ${name}’s page</a>
        <a href="/staff/admin/staff">Back to staff</a>
        <button type="button" class="secondary" @click=${this.startAnother}>Create another</button>
      </div>`;
  }

  private startAnother(): void {
    this.created = undefined;
    this.oneTimePassword = "";
    this.values = emptyStaffValues();
    this.form.clear();
    this.requestId = newRequestId();
    void this.updateComplete.then(() => announcePage(this, "New staff member"));
  }

  private accountControls(m: StaffMember) {
    const deactivated = m.state === StaffState.DEACTIVATED;
    if (deactivated) {
      const when = formatLocalTime(m.deactivateTime);
      return html`<section aria-labelledby="account-title">
        <h2 id="account-title">Account</h2>
        <p>Deactivated${when.text ? html` on <time datetime=${when.iso}>${when.text}</time>` : nothing}: cannot log in.</p>
      </section>`;
    }
    return html`<section aria-labelledby="account-title">
      <h2 id="account-title">Account</h2>
      ${this.oneTimePassword
        ? html`<one-time-password .password=${this.oneTimePassword} .memberName=${memberName(m)} heading="New password" .level=${3}></one-time-password>`
        : nothing}
      <h3>Password</h3>
      ${this.confirming === "reset"
        ? html`<div class="notice" role="group" aria-labelledby="confirm-reset">
            <p id="confirm-reset">
              Reset ${memberName(m)}’s password? Their current password stops working and they are logged out
              everywhere. You get a new one-time password to give them.
            </p>
            <div class="actions">
              <button type="button" ?disabled=${this.form.busy} aria-busy=${this.form.busy ? "true" : "false"} @click=${this.resetPassword}>Yes, reset the password</button>
              <button type="button" class="secondary" @click=${() => this.cancelConfirm("reset-start")}>Cancel</button>
            </div>
          </div>`
        : html`<p>For someone who forgot theirs.</p>
            <button type="button" id="reset-start" class="secondary" @click=${() => this.startConfirm("reset")}>Reset password…</button>`}
      <h3>Deactivate</h3>
      ${this.isSelf
        ? html`<p>You cannot deactivate your own account: another admin can.</p>`
        : this.confirming === "deactivate"
          ? html`<div class="notice error" role="group" aria-labelledby="confirm-deactivate">
              <p id="confirm-deactivate">
                Deactivate ${memberName(m)}? They are logged out at once and cannot log in any more. Their
                record is kept.
              </p>
              <div class="actions">
                <button type="button" ?disabled=${this.form.busy} aria-busy=${this.form.busy ? "true" : "false"} @click=${this.deactivate}>Yes, deactivate</button>
                <button type="button" class="secondary" @click=${() => this.cancelConfirm("deactivate-start")}>Cancel</button>
              </div>
            </div>`
          : html`<p>For someone who left: they can no longer log in.</p>
              <button type="button" id="deactivate-start" class="secondary" @click=${() => this.startConfirm("deactivate")}>Deactivate…</button>`}
    </section>`;
  }

  private async startConfirm(which: "deactivate" | "reset"): Promise<void> {
    this.confirming = which;
    this.oneTimePassword = which === "reset" ? "" : this.oneTimePassword;
    await this.updateComplete;
    this.querySelector<HTMLElement>(`#confirm-${which} + .actions button`)?.focus();
  }

  private async cancelConfirm(returnTo: string): Promise<void> {
    this.confirming = "";
    await this.updateComplete;
    this.querySelector<HTMLElement>(`#${returnTo}`)?.focus();
  }

  override render() {
    if (this.denied) return html`<no-access></no-access>`;
    if (this.created) return this.renderCreated(this.created);
    if (this.isNew) {
      return html`<p><a href="/staff/admin/staff">← Staff</a></p>
        <h1>New staff member</h1>
        <p>They get a generated one-time password, shown once after creating.</p>
        ${this.editForm()}`;
    }
    if (this.loading && !this.member) {
      return html`<p><a href="/staff/admin/staff">← Staff</a></p>
        <h1>Staff member</h1>
        <p aria-busy="true">Loading…</p>`;
    }
    if (!this.member) {
      return html`<p><a href="/staff/admin/staff">← Staff</a></p>
        <h1>Staff member</h1>
        <div class="notice error" role="alert"><p>${this.loadError}</p></div>
        <button type="button" class="secondary" @click=${() => this.load()}>Try again</button>`;
    }
    const m = this.member;
    const deactivated = m.state === StaffState.DEACTIVATED;
    return html`<p><a href="/staff/admin/staff">← Staff</a></p>
      <h1>${memberName(m)}${deactivated ? html` <span class="badge">deactivated</span>` : nothing}${this.isSelf ? html` <span class="badge">you</span>` : nothing}</h1>
      ${this.notice ? html`<div class="notice ok" role="status"><p>${this.notice}</p></div>` : nothing}
      ${this.editForm()}
      <hr />
      ${this.accountControls(m)}`;
  }
}

customElements.define("staff-member-page", StaffMemberPage);
