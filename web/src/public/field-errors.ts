// Errors at a public form's fields: a <small class="field-error"> after the
// control (for a group, at the end of its fieldset), with aria-invalid and
// aria-describedby on the controls. The controls' ids are `${prefix}-${field}`;
// an error's id is `${prefix}-${field}-error`.

export interface FieldErrors<F extends string> {
  /** The controls that carry a field's aria-invalid / aria-describedby. */
  controls(field: F): HTMLElement[];
  show(field: F, message: string): void;
  clear(field: F): void;
}

export function fieldErrors<F extends string>(prefix: string): FieldErrors<F> {
  function controls(field: F): HTMLElement[] {
    const el = document.getElementById(`${prefix}-${field}`);
    if (!el) return [];
    if (el instanceof HTMLFieldSetElement) return [...el.querySelectorAll<HTMLElement>("input")];
    return [el];
  }

  function place(field: F, error: HTMLElement): void {
    const el = document.getElementById(`${prefix}-${field}`);
    if (!el) return;
    if (el instanceof HTMLFieldSetElement) el.append(error);
    else if (el.closest("label")) el.closest("label")!.after(error);
    else el.after(error);
  }

  function clear(field: F): void {
    const id = `${prefix}-${field}-error`;
    document.getElementById(id)?.remove();
    for (const c of controls(field)) {
      c.removeAttribute("aria-invalid");
      const rest = (c.getAttribute("aria-describedby") ?? "").split(/\s+/).filter((x) => x && x !== id);
      if (rest.length) c.setAttribute("aria-describedby", rest.join(" "));
      else c.removeAttribute("aria-describedby");
    }
  }

  function show(field: F, message: string): void {
    const id = `${prefix}-${field}-error`;
    const error = document.createElement("small");
    error.className = "field-error";
    error.id = id;
    error.dataset.errorFor = `${prefix}-${field}`;
    error.textContent = message;
    place(field, error);
    for (const c of controls(field)) {
      c.setAttribute("aria-invalid", "true");
      const ids = (c.getAttribute("aria-describedby") ?? "").split(/\s+/).filter(Boolean);
      c.setAttribute("aria-describedby", [id, ...ids.filter((x) => x !== id)].join(" "));
    }
  }

  return { controls, show, clear };
}
