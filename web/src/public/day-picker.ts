// The day-and-time picker of the public booking and manage pages: a row of the
// next 14 days (each with its count of open times), the chosen day's times,
// and, on a day without times, the next day that has some. The page keeps the
// openings; the picker renders them into elements named `${prefix}-days`,
// `${prefix}-times` and so on, and tells the page which time was chosen.
import type { Opening } from "../gen/clinic/booking/v1/booking_service_pb";
import {
  dayCounts,
  dayInWords,
  dayShort,
  groupByDay,
  nextOpenDay,
  timeInWords,
  type LocalDate,
} from "./booking-model";

/** "no open times", "1 open time", "3 open times". */
export const countInWords = (n: number) => (n === 0 ? "no open times" : `${n} open time${n === 1 ? "" : "s"}`);

export interface DayPickerOptions {
  /** The element ids' prefix ("bk", "mg"). */
  prefix: string;
  /** The page's days, openings and shown day ("YYYY-MM-DD"), read at each render. */
  state: () => { days: readonly LocalDate[]; openings: readonly Opening[]; day: string };
  /** Changes the shown day. */
  setDay: (date: string) => void;
  /** The current year in the location's zone (dates in it are written without one). */
  year: () => number;
  /** A time was chosen. */
  choose: (o: Opening) => void;
  /** Says something to screen readers. */
  announce: (text: string) => void;
}

export interface DayPicker {
  /** Renders the days and the shown day's times. */
  render(): void;
  /** Shows `date` and announces its open times. */
  selectDay(date: string): void;
}

export function dayPicker(opts: DayPickerOptions): DayPicker {
  const $ = (suffix: string) => document.getElementById(`${opts.prefix}-${suffix}`) as HTMLElement;

  function render(): void {
    const { days, openings, day } = opts.state();
    const year = opts.year();
    const byDay = groupByDay(openings);
    const counts = dayCounts(days, byDay);
    const any = counts.some((d) => d.count > 0);
    $("calendar").hidden = false;
    $("none-at-all").hidden = any;
    for (const id of ["days", "day-title", "times", "days-label"]) $(id).hidden = !any;
    if (!any) {
      $("no-times").hidden = true;
      return;
    }
    $("days").replaceChildren(
      ...counts.map(({ date, count }) => {
        const b = document.createElement("button");
        b.type = "button";
        b.className = count ? "day" : "day none";
        b.dataset.date = date;
        b.dataset.count = String(count);
        b.setAttribute("aria-pressed", String(date === day));
        const s = dayShort(date);
        const part = (cls: string, text: string) => {
          const span = document.createElement("span");
          span.className = cls;
          span.setAttribute("aria-hidden", "true");
          span.textContent = text;
          return span;
        };
        const name = document.createElement("span");
        name.className = "visually-hidden";
        name.textContent = `${dayInWords(date, year)}, ${countInWords(count)}`;
        b.append(part("wd", s.weekday), part("dn", s.day), part("mo", s.month), name);
        b.addEventListener("click", () => selectDay(date));
        const li = document.createElement("li");
        li.append(b);
        return li;
      }),
    );
    renderDay();
  }

  function renderDay(): void {
    const { days, openings, day } = opts.state();
    const year = opts.year();
    const byDay = groupByDay(openings);
    const counts = dayCounts(days, byDay);
    for (const b of $("days").querySelectorAll<HTMLButtonElement>("button.day")) {
      b.setAttribute("aria-pressed", String(b.dataset.date === day));
    }
    $("day-title").textContent = dayInWords(day, year);
    const list = byDay.get(day) ?? [];
    $("times").replaceChildren(
      ...list.map((o) => {
        const li = document.createElement("li");
        const b = document.createElement("button");
        b.type = "button";
        b.className = "time outline";
        b.textContent = timeInWords(o.localStart);
        b.dataset.localStart = o.localStart;
        b.addEventListener("click", () => opts.choose(o));
        li.append(b);
        return li;
      }),
    );
    $("times").hidden = list.length === 0;
    $("no-times").hidden = list.length > 0;
    const next = nextOpenDay(counts, day);
    const nextBox = $("next-day");
    if (list.length === 0 && next) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "secondary";
      b.textContent = `Show ${dayInWords(next, year)}`;
      b.addEventListener("click", () => {
        selectDay(next);
        $("day-title").focus();
      });
      nextBox.replaceChildren(`The next day with open times is ${dayInWords(next, year)}. `, b);
    } else if (list.length === 0) {
      nextBox.replaceChildren("There are no open times after this day in the next two weeks.");
    } else {
      nextBox.replaceChildren();
    }
  }

  function selectDay(date: string): void {
    opts.setDay(date);
    renderDay();
    const { days, openings } = opts.state();
    const year = opts.year();
    const counts = dayCounts(days, groupByDay(openings));
    const n = counts.find((d) => d.date === date)?.count ?? 0;
    const next = nextOpenDay(counts, date);
    opts.announce(
      n
        ? `${dayInWords(date, year)}: ${countInWords(n)}.`
        : `${dayInWords(date, year)}: no open times this day.${next ? ` The next day with open times is ${dayInWords(next, year)}.` : ""}`,
    );
  }

  return { render, selectDay };
}
