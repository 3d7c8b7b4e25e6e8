import { html, nothing } from "lit";
import { LightElement } from "../shared/light-element";

/**
 * <one-time-password>: a generated password shown once (after creating a
 * member or resetting a password), easy to select and copy, with a note to
 * hand it over securely. Takes focus when shown.
 */
export class OneTimePassword extends LightElement {
  static override properties = {
    password: { type: String },
    memberName: { type: String },
    heading: { type: String },
    /** 2 or 3: the heading's level where it is shown. */
    level: { type: Number },
    copied: { state: true },
  };
  declare password: string;
  declare memberName: string;
  declare heading: string;
  declare level: number;
  declare copied: string;

  constructor() {
    super();
    this.password = "";
    this.memberName = "";
    this.heading = "One-time password";
    this.level = 2;
    this.copied = "";
  }

  protected override firstUpdated(): void {
    this.querySelector<HTMLElement>("#otp-title")?.focus();
  }

  private async copy(): Promise<void> {
    const input = this.querySelector<HTMLInputElement>("#otp-value");
    try {
      await navigator.clipboard.writeText(this.password);
      this.copied = "Copied to the clipboard.";
    } catch {
      // No clipboard permission: select it for Ctrl+C / long press.
      input?.focus();
      input?.select();
      this.copied = "Selected: copy it with Ctrl+C (or ⌘C).";
    }
  }

  override render() {
    const who = this.memberName || "the member";
    return html`<section class="notice ok otp" aria-labelledby="otp-title">
      ${this.level === 3
        ? html`<h3 id="otp-title" tabindex="-1">${this.heading}</h3>`
        : html`<h2 id="otp-title" tabindex="-1">${this.heading}</h2>`}
      <label for="otp-value">One-time password for ${who}</label>
      <fieldset role="group">
        <input
          id="otp-value"
          class="otp-value"
          type="text"
          readonly
          spellcheck="false"
          autocomplete="off"
          autocapitalize="off"
          aria-describedby="otp-note"
          .value=${this.password}
          @focus=${(e: Event) => (e.target as HTMLInputElement).select()}
        />
        <button type="button" @click=${this.copy}>Copy</button>
      </fieldset>
      <p class="copied" role="status" aria-live="polite">${this.copied || nothing}</p>
      <p id="otp-note">
        <strong>It is shown only this once</strong> and is not stored: note it now. Hand it to ${who} in
        person or another secure way (not by email or chat), and ask them to change it under “My account”
        after logging in.
      </p>
    </section>`;
  }
}

customElements.define("one-time-password", OneTimePassword);
