import { html } from "lit";
import { LightElement, announcePage } from "./light-element";

/** <no-access>: what a page shows to someone whose roles do not allow it. */
export class NoAccess extends LightElement {
  static override properties = {
    audience: {},
  };
  /** Who the page is for, in words ("admins", "the front desk and admins"). */
  declare audience: string;

  constructor() {
    super();
    this.audience = "admins";
  }

  protected override firstUpdated(): void {
    announcePage(this, "No access");
  }

  override render() {
    return html`<h1>You do not have access to this page</h1>
      <p>This page is for ${this.audience}. If you need it for your work, ask an admin.</p>
      <p><a href="/staff/patients">Go to patients</a></p>`;
  }
}

customElements.define("no-access", NoAccess);
