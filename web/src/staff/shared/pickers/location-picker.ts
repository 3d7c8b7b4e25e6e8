import { html, nothing, type PropertyValues } from "lit";
import type { Location } from "../../../gen/clinic/appointments/v1/appointments_pb";
import { loadLocations } from "../directory";
import { ariaDescribedBy, ariaInvalid, fieldErrorText } from "../form";
import { LightElement } from "../light-element";
import { locationLabel, sortLocations, type PickDetail } from "./picker-model";
import "./pickers.css";

let counter = 0;

/**
 * <location-picker label="Location" .value=${"locations/…"} @pick=${…}>: a
 * select of the practice's locations by display name (read once per visit,
 * shared/directory.ts), firing `pick` with the chosen "locations/…" and its
 * name. `emptyLabel` adds a first option: a prompt ("Choose a location…",
 * not choosable once a location is chosen) or, with `emptyChoosable`, a
 * choice of its own ("Every location", value ""). `exclude` leaves locations
 * out (those already chosen). `labelHidden` names the select without a
 * visible label (in a table row).
 */
export class LocationPicker extends LightElement {
  static override properties = {
    label: { type: String },
    value: { type: String },
    inputId: { type: String },
    emptyLabel: { type: String },
    emptyChoosable: { type: Boolean },
    exclude: { attribute: false },
    labelHidden: { type: Boolean },
    hint: { type: String },
    error: { type: String },
    disabled: { type: Boolean },
    required: { type: Boolean },
    locations: { state: true },
    loadError: { state: true },
  };
  declare label: string;
  /** The chosen "locations/…", "" for none. */
  declare value: string;
  /** The select's id (for labels and error links); generated when unset. */
  declare inputId: string;
  declare emptyLabel: string;
  declare emptyChoosable: boolean;
  declare exclude: readonly string[];
  declare labelHidden: boolean;
  declare hint: string;
  declare error: string;
  declare disabled: boolean;
  declare required: boolean;
  declare locations: Location[] | undefined;
  declare loadError: boolean;

  constructor() {
    super();
    this.label = "Location";
    this.value = "";
    this.inputId = `location-picker-${++counter}`;
    this.emptyLabel = "Choose a location…";
    this.emptyChoosable = false;
    this.exclude = [];
    this.labelHidden = false;
    this.hint = "";
    this.error = "";
    this.disabled = false;
    this.required = false;
    this.locations = undefined;
    this.loadError = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.locations) void this.load();
  }

  private async load(): Promise<void> {
    this.loadError = false;
    try {
      this.locations = sortLocations(await loadLocations());
    } catch {
      this.loadError = true;
    }
  }

  /** Focuses the select (after an error, or from the page). */
  override focus(): void {
    this.querySelector<HTMLSelectElement>(`#${CSS.escape(this.inputId)}`)?.focus();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The selected option follows `value` even after the person chose another.
    const select = this.querySelector<HTMLSelectElement>(`#${CSS.escape(this.inputId)}`);
    if (select && (changed.has("value") || changed.has("locations") || changed.has("exclude")) && select.value !== this.value) {
      select.value = this.value;
    }
  }

  private onChange(e: Event): void {
    const value = (e.target as HTMLSelectElement).value;
    this.value = value;
    const label = value ? locationLabel(value, this.locations ?? []) : "";
    this.dispatchEvent(new CustomEvent<PickDetail>("pick", { detail: { value, label }, bubbles: true, composed: true }));
  }

  override render() {
    const id = this.inputId;
    const hintId = this.hint ? `${id}-hint` : "";
    const list = (this.locations ?? []).filter((l) => l.name === this.value || !this.exclude.includes(l.name));
    const known = !this.value || list.some((l) => l.name === this.value);
    const loading = this.locations === undefined && !this.loadError;
    return html`${this.labelHidden ? nothing : html`<label for=${id}>${this.label}</label>`}
      <select
        id=${id}
        aria-label=${this.labelHidden ? this.label : nothing}
        aria-invalid=${ariaInvalid(this.error)}
        aria-describedby=${ariaDescribedBy(id, this.error, ...[hintId].filter(Boolean))}
        aria-busy=${loading ? "true" : "false"}
        ?disabled=${this.disabled || loading}
        ?required=${this.required}
        @change=${this.onChange}
      >
        ${loading
          ? html`<option value=${this.value} selected>Loading locations…</option>`
          : html`${this.emptyLabel || !this.value
                ? html`<option value="" ?selected=${!this.value} ?disabled=${!this.emptyChoosable && !!this.value}>${this.emptyLabel || "Choose a location…"}</option>`
                : nothing}
              ${known ? nothing : html`<option value=${this.value} selected>Unknown location</option>`}
              ${list.map((l) => html`<option value=${l.name} ?selected=${l.name === this.value}>${l.displayName}</option>`)}`}
      </select>
      ${this.loadError
        ? html`<small class="field-error picker-load-error">
            The locations could not be loaded.
            <button type="button" class="secondary outline small" @click=${() => this.load()}>Try again</button>
          </small>`
        : nothing}
      ${fieldErrorText(id, this.error)}
      ${this.hint ? html`<small class="hint" id=${hintId}>${this.hint}</small>` : nothing}`;
  }
}

customElements.define("location-picker", LocationPicker);
