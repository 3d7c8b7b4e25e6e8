// The charts of goal progress, drawn with uPlot (https://github.com/leeoniya/uPlot,
// MIT, ~22 kB gzip with its stylesheet). This module is imported only on
// demand (plan-chart.ts: `import("./uplot-charts")`), so uPlot is a chunk of
// its own that only the staff app's plan and caseload pages load — never the
// public pages. uPlot draws on a <canvas> and sets sizes through the CSSOM
// (element.style), which the gateway's style-src 'self' allows; its CSS is a
// file bundled with this chunk.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { GoalChartData } from "./plan-model";
import type { Sparkline } from "./caseload-model";

const day = 86_400;

/** Dates are midnights UTC: shown as the same calendar day wherever the browser is. */
const utc = (ts: number) => uPlot.tzDate(new Date(ts * 1000), "UTC");

/** An x range that is never empty (one measurement still gets a week around it). */
const xRange: uPlot.Scale.Range = (_u, min, max) => (min === max ? [min - 3 * day, max + 3 * day] : [min, max]);

export const colors = {
  measured: "#2f6fd6",
  baseline: "#6b7280",
  target: "#1f8a5b",
  spark: ["#2f6fd6", "#c2410c", "#7c3aed"],
};

/** A goal's chart: the measurements, with the baseline and the target as lines across. */
export function goalChart(el: HTMLElement, data: GoalChartData, width: number, measure: string): uPlot {
  const opts: uPlot.Options = {
    width,
    height: 180,
    tzDate: utc,
    scales: { x: { time: true, range: xRange }, y: { range: [data.yMin, data.yMax] } },
    series: [
      {},
      { label: measure || "Measured", stroke: colors.measured, width: 2, spanGaps: true, points: { show: true, size: 7 } },
      { label: "Baseline", stroke: colors.baseline, width: 1, dash: [4, 4], points: { show: false } },
      { label: "Target", stroke: colors.target, width: 2, dash: [10, 5], points: { show: false } },
    ],
    axes: [{}, { size: 44 }],
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
  };
  const xs = data.xs;
  return new uPlot(opts, [xs, data.values, xs.map(() => data.baseline), xs.map(() => data.target)], el);
}

/** The caseload's sparkline: each goal's way to its target (0 % baseline, 100 % target). */
export function sparkChart(el: HTMLElement, spark: Sparkline, width: number, height: number): uPlot {
  const single = spark.xs.length === 1;
  const opts: uPlot.Options = {
    width,
    height,
    tzDate: utc,
    legend: { show: false },
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: { x: { time: false, range: xRange }, y: { range: [-10, 110] } },
    axes: [{ show: false }, { show: false }],
    series: [
      {},
      ...spark.series.map((s, i) => ({
        label: s.label,
        stroke: colors.spark[i % colors.spark.length],
        width: 1.5,
        spanGaps: true,
        points: { show: single, size: 4 },
      })),
    ],
  };
  return new uPlot(opts, [spark.xs, ...spark.series.map((s) => s.values)], el);
}
