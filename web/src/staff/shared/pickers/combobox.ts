import { html, nothing, type PropertyValues } from "lit";
import { live } from "lit/directives/live.js";
import { ariaDescribedBy, ariaInvalid, fieldErrorText } from "../form";
import { LightElement } from "../light-element";
import { moveActive, type PickDetail, type PickerOption } from "./picker-model";
import "./pickers.css";

let counter = 0;

/** What a search found: the options, and the words the live region says. */
export interface SearchResult {
  options: PickerOption[];
  status: string;
}

/**
 * The type-ahead part of <staff-picker> and <patient-picker>: a text input
 * with role=combobox and a listbox of matches below it (the WAI-ARIA 1.2
 * combobox pattern: arrow keys move through the options, Enter chooses,
 * Escape closes; aria-activedescendant names the active option). Choosing an
 * option puts its name in the input and fires `pick` with the resource name;
 * typing again (or "Clear") un-chooses it (`pick` with an empty value).
 *
 * Subclasses say how to search (`search`) and how to name a value set from
 * outside, e.g. from the URL (`resolveLabel`).
 */
export abstract class PickerCombobox extends LightElement {
  static override properties = {
    label: { type: String },
    value: { type: String },
    valueLabel: { type: String },
    inputId: { type: String },
    placeholder: { type: String },
    hint: { type: String },
    error: { type: String },
    disabled: { type: Boolean },
    text: { state: true },
    open: { state: true },
    options: { state: true },
    active: { state: true },
    status: { state: true },
    statusShown: { state: true },
  };
  /** The input's label. */
  declare label: string;
  /** The chosen resource name, "" for none. */
  declare value: string;
  /** The chosen value's name, when the page knows it already (saves a call). */
  declare valueLabel: string;
  /** The input's id (for the page's labels and error links); generated when unset. */
  declare inputId: string;
  declare placeholder: string;
  /** Words under the input (what can be typed). */
  declare hint: string;
  /** An error shown under the input (aria-invalid, aria-describedby). */
  declare error: string;
  declare disabled: boolean;
  declare text: string;
  declare open: boolean;
  declare options: PickerOption[];
  declare active: number;
  declare status: string;
  /** The live region's words are shown too (no match, an error), not only said. */
  declare statusShown: boolean;

  /** Milliseconds between the last key and the search. */
  protected debounceMs = 0;
  private chosen = "";
  private timer?: ReturnType<typeof setTimeout>;
  private abort?: AbortController;

  constructor() {
    super();
    this.label = "";
    this.value = "";
    this.valueLabel = "";
    this.inputId = `picker-${++counter}`;
    this.placeholder = "";
    this.hint = "";
    this.error = "";
    this.disabled = false;
    this.text = "";
    this.open = false;
    this.options = [];
    this.active = -1;
    this.status = "";
    this.statusShown = false;
  }

  /** The options for what was typed, and what the live region says about them. */
  protected abstract search(text: string, signal: AbortSignal): Promise<SearchResult>;

  /** The name of a value set from outside (the URL, a link). */
  protected abstract resolveLabel(value: string): Promise<string>;

  override disconnectedCallback(): void {
    clearTimeout(this.timer);
    this.abort?.abort();
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has("value") || changed.has("valueLabel")) && this.value !== this.chosen) {
      this.chosen = this.value;
      this.open = false;
      if (!this.value) {
        this.text = "";
      } else if (this.valueLabel) {
        this.text = this.valueLabel;
      } else {
        const value = this.value;
        this.text = "…";
        void this.resolveLabel(value).then(
          (label) => {
            if (this.value === value) this.text = label;
          },
          () => {
            if (this.value === value) this.text = "";
          },
        );
      }
    } else if (changed.has("valueLabel") && this.value && this.valueLabel) {
      this.text = this.valueLabel;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has("active") && this.open && this.active >= 0) {
      this.querySelector(`#${CSS.escape(this.optionId(this.active))}`)?.scrollIntoView({ block: "nearest" });
    }
  }

  /** Empties the input and the list, without a `pick` (the page clears its value itself). */
  reset(): void {
    this.abort?.abort();
    clearTimeout(this.timer);
    this.value = "";
    this.chosen = "";
    this.text = "";
    this.options = [];
    this.open = false;
    this.status = "";
    this.statusShown = false;
  }

  /** What was typed but not chosen from the list ("" once an option is chosen, or nothing typed). */
  get unchosenText(): string {
    return this.value ? "" : this.text.trim();
  }

  /** Focuses the input (after an error, or from the page). */
  override focus(): void {
    this.querySelector<HTMLInputElement>(`#${CSS.escape(this.inputId)}`)?.focus();
  }

  private optionId(i: number): string {
    return `${this.inputId}-opt-${i}`;
  }

  private emit(value: string, label: string): void {
    this.dispatchEvent(new CustomEvent<PickDetail>("pick", { detail: { value, label }, bubbles: true, composed: true }));
  }

  private onInput(e: Event): void {
    this.text = (e.target as HTMLInputElement).value;
    if (this.value) {
      this.value = "";
      this.chosen = "";
      this.emit("", "");
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runSearch(), this.debounceMs);
  }

  private async runSearch(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    try {
      const res = await this.search(this.text, abort.signal);
      if (abort.signal.aborted) return;
      this.options = res.options;
      this.status = res.status;
      this.statusShown = res.options.length === 0 && res.status !== "";
      this.active = -1;
      this.open = res.options.length > 0;
    } catch {
      if (abort.signal.aborted) return;
      this.options = [];
      this.open = false;
      this.status = "The search failed. Check the connection and type again.";
      this.statusShown = true;
    }
  }

  private choose(o: PickerOption): void {
    this.value = o.value;
    this.chosen = o.value;
    this.text = o.label;
    this.open = false;
    this.active = -1;
    this.status = `${o.label} chosen.`;
    this.statusShown = false;
    this.emit(o.value, o.label);
  }

  private clear(): void {
    this.value = "";
    this.chosen = "";
    this.text = "";
    this.options = [];
    this.open = false;
    this.status = "";
    this.emit("", "");
    this.focus();
  }

  private onKeydown(e: KeyboardEvent): void {
    switch (e.key) {
      case "ArrowDown":
      case "ArrowUp":
        e.preventDefault();
        if (this.open) {
          this.active = moveActive(this.active, this.options.length, e.key);
        } else if (this.options.length > 0 && !this.value) {
          this.open = true;
          this.active = moveActive(-1, this.options.length, e.key);
        } else if (!this.value) {
          void this.runSearch();
        }
        return;
      case "Home":
      case "End":
        if (this.open && this.active >= 0) {
          e.preventDefault();
          this.active = moveActive(this.active, this.options.length, e.key);
        }
        return;
      case "Enter":
        if (!this.open) return;
        // Choosing must not send the form around the picker.
        e.preventDefault();
        if (this.active >= 0) this.choose(this.options[this.active]);
        else if (this.options.length === 1) this.choose(this.options[0]);
        return;
      case "Escape":
        if (this.open) {
          e.preventDefault();
          this.open = false;
        } else if (this.text && !this.value) {
          e.preventDefault();
          this.text = "";
          this.status = "";
        }
        return;
      case "Tab":
        this.open = false;
        return;
    }
  }

  private onFocusOut(e: FocusEvent): void {
    const next = e.relatedTarget as Node | null;
    if (!next || !this.contains(next)) this.open = false;
  }

  override render() {
    const id = this.inputId;
    const listId = `${id}-list`;
    const statusId = `${id}-status`;
    const hintId = this.hint ? `${id}-hint` : "";
    const showList = this.open && this.options.length > 0;
    return html`<div class="picker" @focusout=${this.onFocusOut}>
      <label for=${id}>${this.label}</label>
      <div class="picker-field">
        <input
          id=${id}
          type="text"
          role="combobox"
          autocomplete="off"
          spellcheck="false"
          aria-autocomplete="list"
          aria-expanded=${showList ? "true" : "false"}
          aria-controls=${listId}
          aria-activedescendant=${showList && this.active >= 0 ? this.optionId(this.active) : nothing}
          aria-invalid=${ariaInvalid(this.error)}
          aria-describedby=${ariaDescribedBy(id, this.error, ...[hintId].filter(Boolean))}
          placeholder=${this.placeholder || nothing}
          ?disabled=${this.disabled}
          .value=${live(this.text)}
          @input=${this.onInput}
          @keydown=${this.onKeydown}
        />
        ${this.value
          ? html`<button type="button" class="picker-clear secondary outline" aria-label="Clear ${this.label}" ?disabled=${this.disabled} @click=${this.clear}>
              Clear
            </button>`
          : nothing}
        <ul id=${listId} role="listbox" aria-label=${this.label} class="picker-list" ?hidden=${!showList}>
          ${this.options.map(
            (o, i) => html`<li
              id=${this.optionId(i)}
              role="option"
              aria-selected=${i === this.active ? "true" : "false"}
              @mousedown=${(e: Event) => e.preventDefault()}
              @click=${() => this.choose(o)}
            >
              <span class="picker-option-label">${o.label}</span>${o.detail
                ? html`<small class="picker-option-detail">${o.detail}</small>`
                : nothing}
            </li>`,
          )}
        </ul>
      </div>
      <small id=${statusId} class="picker-status ${this.statusShown && !showList ? "" : "visually-hidden"}" role="status">${this.status}</small>
      ${fieldErrorText(id, this.error)}
      ${this.hint ? html`<small class="hint" id=${hintId}>${this.hint}</small>` : nothing}
    </div>`;
  }
}
