import { html, nothing } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Session } from "../../gen/clinic/staff/v1/staff_pb";
import { callTimeoutMs, staff } from "../shared/api";
import { currentMember, fetchMe, logOutAndLeave, sessionEnded } from "./auth";
import { memberName, rolesText } from "./auth-model";
import { formatLocalTime } from "../admin/audit-model";
import { describeCallError } from "../shared/errors";
import { FormState } from "../shared/form";
import { LightElement, announcePage } from "../shared/light-element";
import {
  checkPasswordChange,
  describeUserAgent,
  passwordFields,
  passwordFormErrors,
  type PasswordField,
} from "../admin/staff-model";

const passwordLabels: Record<PasswordField, string> = {
  current_password: "Current password",
  new_password: "New password",
  confirm_password: "New password again",
};
const passwordAutocomplete: Record<PasswordField, string> = {
  current_password: "current-password",
  new_password: "new-password",
  confirm_password: "new-password",
};

/** <my-account>: who I am, change my password, and my sessions (revoke one). */
export class MyAccount extends LightElement {
  static override properties = {
    pw: { state: true },
    sessions: { state: true },
    sessionsLoading: { state: true },
    sessionsError: { state: true },
    sessionsNotice: { state: true },
    revoking: { state: true },
  };
  declare pw: Record<PasswordField, string>;
  declare sessions: Session[];
  declare sessionsLoading: boolean;
  declare sessionsError: string;
  declare sessionsNotice: string;
  declare revoking: string;

  /** The change-password form: busy, and its errors. */
  private pwForm = new FormState<PasswordField>(this, {
    fields: passwordFields,
    idOf: (field) => `pw-${field}`,
    summaryId: "pw-problems",
  });

  constructor() {
    super();
    this.pw = { current_password: "", new_password: "", confirm_password: "" };
    this.sessions = [];
    this.sessionsLoading = false;
    this.sessionsError = "";
    this.sessionsNotice = "";
    this.revoking = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadSessions();
  }

  protected override firstUpdated(): void {
    announcePage(this, "My account");
  }

  private async loadSessions(): Promise<void> {
    this.sessionsLoading = true;
    this.sessionsError = "";
    try {
      const res = await staff.listMySessions({}, { timeoutMs: callTimeoutMs });
      this.sessions = res.sessions;
    } catch (err) {
      this.sessionsError = describeCallError(err);
    } finally {
      this.sessionsLoading = false;
    }
  }

  private async revoke(s: Session): Promise<void> {
    if (this.revoking) return;
    if (s.current) {
      await logOutAndLeave("You logged out.");
      return;
    }
    this.revoking = s.name;
    this.sessionsNotice = "";
    this.sessionsError = "";
    try {
      await staff.revokeSession({ name: s.name }, { timeoutMs: callTimeoutMs });
      this.sessions = this.sessions.filter((x) => x.name !== s.name);
      this.sessionsNotice = "Session ended: that browser is logged out.";
    } catch (err) {
      this.sessionsError = describeCallError(err, "That session has already ended.");
      if (ConnectError.from(err).code === Code.NotFound) {
        this.sessions = this.sessions.filter((x) => x.name !== s.name);
      }
    } finally {
      this.revoking = "";
      await this.updateComplete;
      this.querySelector<HTMLElement>("#sessions-title")?.focus();
    }
  }

  private setPw(field: PasswordField, value: string): void {
    this.pw = { ...this.pw, [field]: value };
    this.pwForm.clearField(field);
  }

  private async changePassword(e: Event): Promise<void> {
    e.preventDefault();
    if (this.pwForm.busy) return;
    const check = checkPasswordChange(this.pw.current_password, this.pw.new_password, this.pw.confirm_password);
    if (Object.keys(check.fields).length > 0) {
      await this.pwForm.show(check);
      return;
    }
    await this.pwForm.run(async () => {
      try {
        await staff.changePassword(
          { currentPassword: this.pw.current_password, newPassword: this.pw.new_password },
          { timeoutMs: callTimeoutMs },
        );
      } catch (err) {
        const ce = ConnectError.from(err);
        if (ce.code !== Code.Unauthenticated && ce.code !== Code.PermissionDenied) throw ce;
        // A wrong current password, or the session is gone: ask the gateway which.
        let stillIn = true;
        try {
          stillIn = (await fetchMe()) !== undefined;
        } catch {
          // Unknown: assume the password was the problem.
        }
        if (!stillIn) {
          sessionEnded("Your session has ended. Log in to continue.");
          return;
        }
        const read = passwordFormErrors(ce);
        await this.pwForm.show(
          Object.keys(read.fields).length > 0 ? read : { fields: { current_password: "is not your current password" }, other: [] },
        );
        return;
      }
      // Every session of mine has ended, this one too.
      this.pw = { current_password: "", new_password: "", confirm_password: "" };
      await logOutAndLeave("Password changed; log in again.");
    });
  }

  private pwInput(field: PasswordField, hint?: string) {
    const id = `pw-${field}`;
    const aria = this.pwForm.aria(field, ...(hint ? [`${id}-hint`] : []));
    return html`<div>
      <label for=${id}>${passwordLabels[field]}</label>
      <input
        id=${id}
        name=${field}
        type="password"
        required
        autocomplete=${passwordAutocomplete[field]}
        aria-invalid=${aria.invalid}
        aria-describedby=${aria.describedBy}
        .value=${this.pw[field]}
        @input=${(e: Event) => this.setPw(field, (e.target as HTMLInputElement).value)}
      />
      ${this.pwForm.error(field)}
      ${hint ? html`<small class="hint" id="${id}-hint">${hint}</small>` : nothing}
    </div>`;
  }

  private sessionRow(s: Session) {
    const started = formatLocalTime(s.createTime);
    const seen = formatLocalTime(s.lastSeenTime);
    const idle = formatLocalTime(s.idleExpireTime);
    const ends = formatLocalTime(s.expireTime);
    const browser = describeUserAgent(s.userAgent);
    return html`<tr>
      <th scope="row">
        <span title=${s.userAgent}>${browser}</span>
        ${s.current ? html` <span class="badge current">this session</span>` : nothing}
      </th>
      <td class="nowrap">${s.clientAddress}</td>
      <td class="nowrap"><time datetime=${started.iso}>${started.text}</time></td>
      <td class="nowrap hide-narrow"><time datetime=${seen.iso}>${seen.text}</time></td>
      <td class="nowrap hide-narrow"><time datetime=${idle.iso}>${idle.text}</time></td>
      <td class="nowrap hide-narrow"><time datetime=${ends.iso}>${ends.text}</time></td>
      <td>
        <button
          type="button"
          class="secondary outline small"
          ?disabled=${!!this.revoking}
          aria-busy=${this.revoking === s.name ? "true" : "false"}
          aria-label=${s.current ? "Log out of this session" : `End the session of ${browser} from ${s.clientAddress || "unknown address"}, started ${started.text}`}
          @click=${() => this.revoke(s)}
        >
          ${s.current ? "Log out" : "End session"}
        </button>
      </td>
    </tr>`;
  }

  override render() {
    const me = currentMember();
    return html`
      <h1>My account</h1>
      ${me
        ? html`<p>
            <strong>${memberName(me)}</strong> · ${me.email} · ${rolesText(me.roles)}
            ${me.credentials.length ? html` · ${me.credentials.join(", ")}` : nothing}
          </p>`
        : nothing}

      <section aria-labelledby="pw-title">
        <h2 id="pw-title">Change password</h2>
        <p>Changing it logs you out everywhere, here too: you then log in with the new one.</p>
        <form @submit=${this.changePassword} novalidate>
          ${this.pwForm.summary("The password was not changed:", passwordLabels)}
          <input type="text" name="username" autocomplete="username" .value=${me?.email ?? ""} hidden />
          ${this.pwInput("current_password")}
          ${this.pwInput("new_password", "At least 12 characters; a few unrelated words work well. Not a common password, not your email.")}
          ${this.pwInput("confirm_password")}
          <button type="submit" ?disabled=${this.pwForm.busy} aria-busy=${this.pwForm.busy ? "true" : "false"}>Change password</button>
        </form>
      </section>

      <section aria-labelledby="sessions-title">
        <h2 id="sessions-title" tabindex="-1">My sessions</h2>
        <p>Where you are logged in. End a session you do not recognize, or one on a shared computer.</p>
        ${this.sessionsNotice ? html`<div class="notice ok" role="status"><p>${this.sessionsNotice}</p></div>` : nothing}
        ${this.sessionsError
          ? html`<div class="notice error" role="alert">
              <p>${this.sessionsError}</p>
              <button type="button" class="secondary" @click=${() => this.loadSessions()}>Try again</button>
            </div>`
          : nothing}
        ${this.sessionsLoading && this.sessions.length === 0
          ? html`<p aria-busy="true">Loading…</p>`
          : html`<div class="overflow-auto">
              <table class="striped">
                <thead>
                  <tr>
                    <th scope="col">Browser</th>
                    <th scope="col">Address</th>
                    <th scope="col">Logged in</th>
                    <th scope="col" class="hide-narrow">Last seen</th>
                    <th scope="col" class="hide-narrow">Ends if idle</th>
                    <th scope="col" class="hide-narrow">Ends at the latest</th>
                    <th scope="col"><span class="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${this.sessions.map((s) => this.sessionRow(s))}
                </tbody>
              </table>
            </div>`}
      </section>
    `;
  }
}

customElements.define("my-account", MyAccount);
