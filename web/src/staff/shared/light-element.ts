import { LitElement } from "lit";

/**
 * A Lit element that renders into the light DOM, so the page's stylesheet
 * (Pico CSS) and ordinary ids/labels (for, aria-describedby) apply.
 */
export class LightElement extends LitElement {
  protected override createRenderRoot(): HTMLElement {
    return this;
  }
}

/** Sets the page title and moves focus to the page's heading, for screen readers. */
export function announcePage(root: Element, title: string): void {
  document.title = `${title} — Clinic staff`;
  const heading = root.querySelector<HTMLElement>("h1");
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: false });
  }
}
