import { html, nothing } from "lit";
import { LightElement, announcePage } from "../shared/light-element";
import { LoginError, logIn, setCurrentMember } from "./auth";
import { sanitizeNext } from "./auth-model";
import { navigate, takeFlash } from "../router";

/**
 * <login-page>: email and password; after logging in, opens the page in
 * ?next= (a page of this app only) or the patient list.
 */
export class LoginPage extends LightElement {
  static override properties = {
    email: { state: true },
    password: { state: true },
    busy: { state: true },
    error: { state: true },
    errorStatus: { state: true },
    notice: { state: true },
  };
  declare email: string;
  declare password: string;
  declare busy: boolean;
  declare error: string;
  declare errorStatus: number;
  declare notice: string;

  private focusError = false;

  constructor() {
    super();
    this.email = "";
    this.password = "";
    this.busy = false;
    this.error = "";
    this.errorStatus = 0;
    this.notice = takeFlash();
  }

  protected override firstUpdated(): void {
    announcePage(this, "Log in");
  }

  protected override updated(): void {
    if (this.focusError) {
      this.focusError = false;
      this.querySelector<HTMLElement>("#login-error")?.focus();
    }
  }

  private async onSubmit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const form = event.target as HTMLFormElement;
    // Read the inputs themselves: a password manager may fill them without input events.
    const email = (form.elements.namedItem("email") as HTMLInputElement).value.trim();
    const password = (form.elements.namedItem("password") as HTMLInputElement).value;
    this.email = email;
    this.notice = "";
    if (!email || !password) {
      this.error = !email ? "Enter your email address." : "Enter your password.";
      this.errorStatus = 400;
      this.focusError = true;
      return;
    }
    this.busy = true;
    this.error = "";
    try {
      const member = await logIn(email, password);
      this.password = "";
      setCurrentMember(member);
      navigate(sanitizeNext(new URLSearchParams(location.search).get("next")), { replace: true });
    } catch (err) {
      this.error = err instanceof LoginError ? err.message : "Login failed. Try again.";
      this.errorStatus = err instanceof LoginError ? err.status : 0;
      this.password = "";
      (form.elements.namedItem("password") as HTMLInputElement).value = "";
      this.focusError = true;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const credentialsWrong = this.errorStatus === 401;
    return html`
      <article class="login-card">
        <h1>Log in</h1>
        ${this.notice ? html`<div class="notice ok" role="status"><p>${this.notice}</p></div>` : nothing}
        ${this.error
          ? html`<div class="notice error" role="alert" id="login-error" tabindex="-1"><p>${this.error}</p></div>`
          : nothing}
        <form @submit=${this.onSubmit} novalidate>
          <label for="login-email">Email</label>
          <input
            id="login-email"
            name="email"
            type="email"
            autocomplete="username"
            inputmode="email"
            spellcheck="false"
            autocapitalize="off"
            required
            aria-invalid=${credentialsWrong ? "true" : nothing}
            aria-describedby=${this.error ? "login-error" : nothing}
            .value=${this.email}
          />
          <label for="login-password">Password</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            aria-invalid=${credentialsWrong ? "true" : nothing}
            aria-describedby=${this.error ? "login-error" : nothing}
            .value=${this.password}
          />
          <button type="submit" ?disabled=${this.busy} aria-busy=${this.busy ? "true" : "false"}>Log in</button>
        </form>
        <p><small>Forgot your password? Ask an admin to reset it.</small></p>
      </article>
    `;
  }
}

customElements.define("login-page", LoginPage);
