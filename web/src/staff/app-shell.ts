import { html, nothing } from "lit";
import { LightElement, announcePage } from "./shared/light-element";
import { currentMember, fetchMe, logOutAndLeave, onMemberChange, sessionEnded, setCurrentMember } from "./account/auth";
import { isAdmin, memberName, rolesText } from "./account/auth-model";
import {
  homePathFor,
  isAdminRoute,
  onRouteChange,
  parseRoute,
  placeholders,
  shouldGoHomeAfterLogin,
  startRouter,
  type Route,
} from "./router";
import "./patients/patient-list";
import "./patients/patient-editor";
import "./account/login-page";
import "./shared/no-access";
import "./admin/staff-list";
import "./admin/staff-member-page";
import "./admin/audit-trail";
import "./account/my-account";
import "./calendar/calendar-page";
import "./admin/admin-locations";
import "./admin/admin-appointment-types";
import "./admin/admin-schedules";
import "./contacts/contact-requests-page";
import { canWorkQueue } from "./contacts/contacts-model";
import "./funnel/funnel-page";
import { canSeeFunnel } from "./funnel/funnel-model";
import "./screenings/screenings-home";
import "./screenings/screening-start";
import "./screenings/screening-page";
import { canScreen } from "./screenings/screening-model";
import "./home/my-day-page";
import { canHaveMyDay, canSeeWaitlist } from "./home/my-day-model";
import "./calendar/waitlist-page";
import "./outbox/outbox-page";
import { canSeeOutbox } from "./outbox/outbox-model";
import "./plans/caseload-page";
import "./plans/plan-page";
import { canSeeCaseload } from "./plans/caseload-model";
import { canPlan } from "./plans/plan-model";

/** Whether the app knows who is logged in yet. */
type AuthState = "checking" | "ready" | "error";

/**
 * <clinic-staff-app>: asks the gateway who is logged in (/auth/me), then shows
 * the header, the navigation for the member's roles and the page for the URL.
 * Without a session every page but the login page goes to the login page.
 */
export class StaffApp extends LightElement {
  static override properties = {
    route: { state: true },
    authState: { state: true },
    loggingOut: { state: true },
  };
  declare route: Route;
  declare authState: AuthState;
  declare loggingOut: boolean;
  private unsubscribe: Array<() => void> = [];
  private firstRoute = true;
  private checking?: AbortController;
  /** The query of the login page while it is open (its next=), to tell where a login should land. */
  private loginSearch = "";

  constructor() {
    super();
    this.route = parseRoute(location.pathname);
    this.authState = "checking";
    this.loggingOut = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    startRouter();
    if (this.route.name === "login") this.loginSearch = location.search;
    this.unsubscribe.push(
      onRouteChange(() => {
        const from = this.route;
        this.route = parseRoute(location.pathname);
        if (this.route.name === "login") {
          this.loginSearch = location.search;
        } else if (from.name === "login") {
          this.landAfterLogin();
        }
        this.goHome();
        if (this.route.name !== "login" && !currentMember()) void this.checkSession();
      }),
      onMemberChange(() => {
        if (currentMember()) this.authState = "ready";
        this.goHome();
        this.requestUpdate();
      }),
    );
    if (this.route.name !== "login") void this.checkSession();
    document.addEventListener("click", this.closeDropdowns);
  }

  override disconnectedCallback(): void {
    document.removeEventListener("click", this.closeDropdowns);
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    super.disconnectedCallback();
  }

  /** "/staff" becomes the member's home page (My day for therapists) once the app knows who it is. */
  private goHome(): void {
    const me = currentMember();
    if (this.route.name !== "home" || !me) return;
    history.replaceState(null, "", homePathFor(me.roles) + location.search + location.hash);
    this.route = parseRoute(location.pathname);
  }

  /**
   * The login page sends everyone to the patient list unless next= says
   * otherwise; a therapist who asked for no page in particular lands on My
   * day instead.
   */
  private landAfterLogin(): void {
    const me = currentMember();
    if (!me || !shouldGoHomeAfterLogin(this.loginSearch, location.pathname, location.search)) return;
    const home = homePathFor(me.roles);
    if (home === location.pathname) return;
    history.replaceState(null, "", home + location.hash);
    this.route = parseRoute(location.pathname);
  }

  /** /auth/me: who is logged in; without a session, the login page. */
  private async checkSession(): Promise<void> {
    this.checking?.abort();
    const abort = new AbortController();
    this.checking = abort;
    this.authState = "checking";
    const timeout = window.setTimeout(() => abort.abort(), 15_000);
    try {
      const me = await fetchMe(abort.signal);
      if (this.checking !== abort) return;
      if (me) {
        setCurrentMember(me);
        this.authState = "ready";
      } else {
        sessionEnded();
      }
    } catch {
      if (this.checking !== abort) return;
      this.authState = "error";
      await this.updateComplete;
      announcePage(this, "Cannot reach the server");
    } finally {
      window.clearTimeout(timeout);
    }
  }

  private async logOut(): Promise<void> {
    if (this.loggingOut) return;
    this.loggingOut = true;
    try {
      await logOutAndLeave("You logged out.");
    } finally {
      this.loggingOut = false;
    }
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has("route")) {
      if (this.firstRoute) {
        this.firstRoute = false;
      } else {
        window.scrollTo(0, 0);
      }
      for (const d of this.querySelectorAll<HTMLDetailsElement>("details.dropdown[open]")) d.open = false;
    }
    // Pages that load data announce themselves when loaded; the static ones here.
    if ((changed.has("route") || changed.has("authState")) && this.authState === "ready") {
      const r = this.route;
      if (r.name === "placeholder") announcePage(this, r.title);
      if (r.name === "not-found") announcePage(this, "Page not found");
      if (r.name === "admin" && isAdmin(currentMember())) announcePage(this, "Admin");
    }
  }

  private navItem(href: string, label: string, current: boolean) {
    return html`<li><a href=${href} aria-current=${current ? "page" : nothing}>${label}</a></li>`;
  }

  private page() {
    const r = this.route;
    if (isAdminRoute(r) && !isAdmin(currentMember())) return html`<no-access></no-access>`;
    switch (r.name) {
      case "home":
        return html`<p aria-busy="true">Loading…</p>`;
      case "login":
        return html`<login-page></login-page>`;
      case "my-day":
        return canHaveMyDay(currentMember()?.roles)
          ? html`<my-day-page></my-day-page>`
          : html`<no-access audience="therapists"></no-access>`;
      case "waitlist":
        return canSeeWaitlist(currentMember()?.roles)
          ? html`<waitlist-page></waitlist-page>`
          : html`<no-access audience="the front desk and admins"></no-access>`;
      case "outbox":
        return canSeeOutbox(currentMember()?.roles)
          ? html`<outbox-page></outbox-page>`
          : html`<no-access audience="the front desk and admins"></no-access>`;
      case "patients":
        return html`<patient-list></patient-list>`;
      case "patient-new":
        return html`<patient-editor></patient-editor>`;
      case "patient":
        return html`<patient-editor .patientId=${r.id}></patient-editor>`;
      case "account":
        return html`<my-account></my-account>`;
      case "admin":
        return html`<h1>Admin</h1>
          <ul>
            <li><a href="/staff/admin/staff">Staff</a>: accounts, roles, passwords</li>
            <li><a href="/staff/admin/audit">Audit trail</a>: who read or changed patient information</li>
            <li><a href="/staff/admin/locations">Locations</a>: addresses, time zones, opening hours, closures</li>
            <li><a href="/staff/admin/appointment-types">Appointment types</a>: durations, buffers, online booking, colours</li>
            <li><a href="/staff/admin/schedules">Therapist schedules</a>: weekly hours, breaks, time off</li>
          </ul>`;
      case "staff-list":
        return html`<staff-list></staff-list>`;
      case "staff-new":
        return html`<staff-member-page></staff-member-page>`;
      case "staff-member":
        return html`<staff-member-page .memberId=${r.id}></staff-member-page>`;
      case "audit":
        return html`<audit-trail></audit-trail>`;
      case "calendar":
        return html`<calendar-page></calendar-page>`;
      case "contacts":
        return canWorkQueue(currentMember()?.roles)
          ? html`<contact-requests-page></contact-requests-page>`
          : html`<no-access audience="the front desk and admins"></no-access>`;
      case "funnel":
        return canSeeFunnel(currentMember()?.roles)
          ? html`<funnel-page></funnel-page>`
          : html`<no-access audience="the front desk and admins"></no-access>`;
      case "screenings":
        return html`<screenings-home></screenings-home>`;
      case "screening-new":
        return canScreen(currentMember()?.roles)
          ? html`<screening-start></screening-start>`
          : html`<no-access audience="therapists and admins"></no-access>`;
      case "screening":
        return html`<screening-page .screeningId=${r.id}></screening-page>`;
      case "caseload":
        return canSeeCaseload(currentMember()?.roles)
          ? html`<caseload-page></caseload-page>`
          : html`<no-access audience="therapists and admins"></no-access>`;
      case "plan-new":
        return canPlan(currentMember()?.roles)
          ? html`<plan-page .isNew=${true}></plan-page>`
          : html`<no-access audience="therapists and admins"></no-access>`;
      case "plan":
        return html`<plan-page .planId=${r.id}></plan-page>`;
      case "locations":
        return html`<admin-locations></admin-locations>`;
      case "location":
        return html`<location-editor .locationId=${r.id}></location-editor>`;
      case "appointment-types":
        return html`<admin-appointment-types></admin-appointment-types>`;
      case "appointment-type":
        return html`<appointment-type-editor .typeId=${r.id}></appointment-type-editor>`;
      case "schedules":
        return html`<admin-schedules></admin-schedules>`;
      case "schedule":
        return html`<schedule-editor .memberId=${r.id}></schedule-editor>`;
      case "placeholder":
        return html`<h1>${r.title}</h1>
          <p>Coming soon: this part of the back office is not built yet.</p>
          <p><a href="/staff/patients">Go to patients</a></p>`;
      case "not-found":
        return html`<h1>Page not found</h1>
          <p>There is no page at this address. <a href="/staff/patients">Go to patients</a>.</p>`;
    }
  }

  private adminMenu() {
    const r = this.route;
    const onStaff = r.name === "staff-list" || r.name === "staff-new" || r.name === "staff-member";
    const onAudit = r.name === "audit";
    const onLocations = r.name === "locations" || r.name === "location";
    const onTypes = r.name === "appointment-types" || r.name === "appointment-type";
    const onSchedules = r.name === "schedules" || r.name === "schedule";
    return html`<li>
      <details class="dropdown" @keydown=${this.closeOnEscape}>
        <summary class="navmenu ${isAdminRoute(r) ? "current" : ""}">Admin</summary>
        <ul dir="rtl">
          ${this.navItem("/staff/admin/staff", "Staff", onStaff)} ${this.navItem("/staff/admin/audit", "Audit trail", onAudit)}
          ${this.navItem("/staff/admin/locations", "Locations", onLocations)}
          ${this.navItem("/staff/admin/appointment-types", "Appointment types", onTypes)}
          ${this.navItem("/staff/admin/schedules", "Therapist schedules", onSchedules)}
        </ul>
      </details>
    </li>`;
  }

  /** A click outside an open menu closes it. */
  private closeDropdowns = (e: Event): void => {
    for (const d of this.querySelectorAll<HTMLDetailsElement>("details.dropdown[open]")) {
      if (!d.contains(e.target as Node)) d.open = false;
    }
  };

  private closeOnEscape(e: KeyboardEvent): void {
    if (e.key !== "Escape") return;
    const details = e.currentTarget as HTMLDetailsElement;
    if (!details.open) return;
    details.open = false;
    details.querySelector("summary")?.focus();
  }

  private header() {
    const r = this.route;
    const me = currentMember();
    const onPatients = r.name === "patients" || r.name === "patient" || r.name === "patient-new";
    const currentPlaceholder = r.name === "placeholder" ? r.title : "";
    const queue = canWorkQueue(me?.roles);
    const onScreenings = r.name === "screenings" || r.name === "screening" || r.name === "screening-new";
    const onCaseload = r.name === "caseload" || r.name === "plan" || r.name === "plan-new";
    return html`<header class="container">
      <nav aria-label="Staff">
        <ul>
          <li><a href=${homePathFor(me?.roles)} class="brand"><strong>Clinic staff</strong></a></li>
        </ul>
        <ul>
          ${canHaveMyDay(me?.roles) ? this.navItem("/staff/my-day", "My day", r.name === "my-day") : nothing}
          ${this.navItem("/staff/patients", "Patients", onPatients)}
          ${this.navItem("/staff/calendar", "Calendar", r.name === "calendar")}
          ${canSeeWaitlist(me?.roles) ? this.navItem("/staff/waitlist", "Waitlist", r.name === "waitlist") : nothing}
          ${canSeeOutbox(me?.roles) ? this.navItem("/staff/outbox", "Outbox", r.name === "outbox") : nothing}
          ${queue ? this.navItem("/staff/contacts", "Contact requests", r.name === "contacts") : nothing}
          ${canSeeFunnel(me?.roles) ? this.navItem("/staff/funnel", "Funnel", r.name === "funnel") : nothing}
          ${canScreen(me?.roles) ? this.navItem("/staff/screenings", "Screenings", onScreenings) : nothing}
          ${canSeeCaseload(me?.roles) ? this.navItem("/staff/caseload", "Caseload", onCaseload) : nothing}
          ${Object.entries(placeholders).map(
            ([slug, title]) =>
              html`<li>
                <a href="/staff/${slug}" class="soon" aria-current=${currentPlaceholder === title ? "page" : nothing}
                  >${title} <small class="badge"><span aria-hidden="true">soon</span><span class="visually-hidden">(coming soon)</span></small></a
                >
              </li>`,
          )}
          ${isAdmin(me) ? this.adminMenu() : nothing}
        </ul>
      </nav>
      ${me
        ? html`<div class="whoami">
            <p>
              <a href="/staff/account" aria-current=${r.name === "account" ? "page" : nothing} title="My account"
                ><strong class="member-name">${memberName(me)}</strong></a
              >
              <small class="member-roles">${rolesText(me.roles)}</small>
            </p>
            <button
              type="button"
              class="secondary outline"
              ?disabled=${this.loggingOut}
              aria-busy=${this.loggingOut ? "true" : "false"}
              @click=${this.logOut}
            >
              Log out
            </button>
          </div>`
        : nothing}
    </header>`;
  }

  override render() {
    const r = this.route;
    if (r.name === "login") {
      return html`<a class="skip-link" href="#main">Skip to content</a>
        <header class="container">
          <nav aria-label="Staff">
            <ul>
              <li><strong>Clinic staff</strong></li>
            </ul>
          </nav>
        </header>
        <main id="main" class="container narrow">${this.page()}</main>`;
    }
    if (this.authState === "error") {
      return html`<main id="main" class="container">
        <h1>Cannot reach the server</h1>
        <div class="notice error" role="alert"><p>The staff app could not check who is logged in. Check the connection and try again.</p></div>
        <button type="button" @click=${() => this.checkSession()}>Try again</button>
      </main>`;
    }
    if (this.authState === "checking" || !currentMember()) {
      return html`<main id="main" class="container"><p aria-busy="true">Loading…</p></main>`;
    }
    return html`
      <a class="skip-link" href="#main">Skip to content</a>
      ${this.header()}
      <main id="main" class="container">${this.page()}</main>
    `;
  }
}

customElements.define("clinic-staff-app", StaffApp);
