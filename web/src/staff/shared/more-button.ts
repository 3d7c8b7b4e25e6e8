import { html, nothing } from "lit";

/** A list's "More" button: shown while there is a next page, busy while a page loads. */
export function moreButton(nextPageToken: string, loading: boolean, load: (pageToken: string) => void) {
  return nextPageToken
    ? html`<button
        type="button"
        class="secondary"
        ?disabled=${loading}
        aria-busy=${loading ? "true" : "false"}
        @click=${() => load(nextPageToken)}
      >
        More
      </button>`
    : nothing;
}
