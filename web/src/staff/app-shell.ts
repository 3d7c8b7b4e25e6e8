import { html, nothing } from "lit";
import { LightElement, announcePage } from "./light-element";
import { onRouteChange, parseRoute, placeholders, startRouter, type Route } from "./router";
import "./patient-list";
import "./patient-editor";

/** <clinic-staff-app>: the header, the navigation and the page for the URL. */
export class StaffApp extends LightElement {
  static override properties = { route: { state: true } };
  declare route: Route;
  private unsubscribe?: () => void;
  private firstRoute = true;

  constructor() {
    super();
    this.route = parseRoute(location.pathname);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    startRouter();
    if (location.pathname === "/staff" || location.pathname === "/staff/") {
      history.replaceState(null, "", "/staff/patients" + location.search);
    }
    this.unsubscribe = onRouteChange(() => {
      this.route = parseRoute(location.pathname);
    });
  }

  override disconnectedCallback(): void {
    this.unsubscribe?.();
    super.disconnectedCallback();
  }

  protected override updated(changed: Map<string, unknown>): void {
    // Pages that load data announce themselves when loaded; the static ones here.
    if (changed.has("route")) {
      if (this.firstRoute) {
        this.firstRoute = false;
      } else {
        window.scrollTo(0, 0);
      }
      const r = this.route;
      if (r.name === "placeholder") announcePage(this, r.title);
      if (r.name === "not-found") announcePage(this, "Page not found");
    }
  }

  private navItem(href: string, label: string, current: boolean) {
    return html`<li><a href=${href} aria-current=${current ? "page" : nothing}>${label}</a></li>`;
  }

  private page() {
    const r = this.route;
    switch (r.name) {
      case "patients":
        return html`<patient-list></patient-list>`;
      case "patient-new":
        return html`<patient-editor></patient-editor>`;
      case "patient":
        return html`<patient-editor .patientId=${r.id}></patient-editor>`;
      case "placeholder":
        return html`<h1>${r.title}</h1>
          <p>Coming soon: this part of the back office is not built yet.</p>
          <p><a href="/staff/patients">Go to patients</a></p>`;
      case "not-found":
        return html`<h1>Page not found</h1>
          <p>There is no page at this address. <a href="/staff/patients">Go to patients</a>.</p>`;
    }
  }

  override render() {
    const r = this.route;
    const onPatients = r.name === "patients" || r.name === "patient" || r.name === "patient-new";
    const currentPlaceholder = r.name === "placeholder" ? r.title : "";
    return html`
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="container">
        <nav aria-label="Staff">
          <ul>
            <li><a href="/staff/patients" class="brand"><strong>Clinic staff</strong></a></li>
          </ul>
          <ul>
            ${this.navItem("/staff/patients", "Patients", onPatients)}
            ${Object.entries(placeholders).map(
              ([slug, title]) =>
                html`<li>
                  <a href="/staff/${slug}" class="soon" aria-current=${currentPlaceholder === title ? "page" : nothing}
                    >${title} <small class="badge"><span aria-hidden="true">soon</span><span class="visually-hidden">(coming soon)</span></small></a
                  >
                </li>`,
            )}
          </ul>
        </nav>
      </header>
      <main id="main" class="container">${this.page()}</main>
    `;
  }
}

customElements.define("clinic-staff-app", StaffApp);
