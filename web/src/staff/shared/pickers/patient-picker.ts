import { callTimeoutMs, patients } from "../api";
import { PickerCombobox, type SearchResult } from "./combobox";
import { knownPatientLabel, loadPatientLabels, rememberPatient } from "./names";
import { minPatientQuery, patientOption, patientQuery, resultsWords } from "./picker-model";

const pageSize = 20;

/**
 * <patient-picker label="Patient" .value=${"patients/…"} @pick=${…}>: a
 * type-ahead over PatientService.ListPatients' `query` (the start of a name,
 * accents ignored; a date of birth; or the last digits of a phone), each
 * match with its date of birth; fires `pick` with the chosen "patients/…"
 * (see PickerCombobox). Archived patients are found too with
 * `includeArchived`.
 */
export class PatientPicker extends PickerCombobox {
  static override properties = {
    ...PickerCombobox.properties,
    includeArchived: { type: Boolean },
  };
  declare includeArchived: boolean;

  constructor() {
    super();
    this.includeArchived = false;
    this.debounceMs = 250;
    this.placeholder = "Name, date of birth or phone";
  }

  protected override async search(text: string, signal: AbortSignal): Promise<SearchResult> {
    const query = patientQuery(text);
    if (query === undefined) {
      return {
        options: [],
        status: text.trim() ? `Type at least ${minPatientQuery} characters.` : "",
      };
    }
    const res = await patients.listPatients(
      { query, pageSize, showArchived: this.includeArchived },
      { signal, timeoutMs: callTimeoutMs },
    );
    res.patients.forEach(rememberPatient);
    return {
      options: res.patients.map(patientOption),
      status: resultsWords(res.patients.length, ["patient", "patients"], res.nextPageToken !== ""),
    };
  }

  protected override async resolveLabel(value: string): Promise<string> {
    await loadPatientLabels([value]);
    return knownPatientLabel(value) ?? "A patient";
  }
}

customElements.define("patient-picker", PatientPicker);
