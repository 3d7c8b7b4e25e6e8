import { html, nothing, type PropertyValues } from "lit";
import { LightElement } from "../shared/light-element";
import type { GoalChartData } from "./plan-model";
import type { Sparkline } from "./caseload-model";

type Charts = typeof import("./uplot-charts");
type Chart = { destroy(): void; setSize(size: { width: number; height: number }): void };

let chartsOnce: Promise<Charts> | undefined;

/** uPlot and the chart builders, loaded on first use (a chunk of their own). */
function loadCharts(): Promise<Charts> {
  chartsOnce ??= import("./uplot-charts").catch((err) => {
    chartsOnce = undefined;
    throw err;
  });
  return chartsOnce;
}

/**
 * The part both charts share: a host for the canvas (hidden from screen
 * readers: the words say the same), drawn when the data changes and resized
 * with its box. A chart that cannot be loaded leaves the words alone.
 */
abstract class ChartElement extends LightElement {
  protected chart?: Chart;
  private observer?: ResizeObserver;
  private drawn?: unknown;

  protected abstract get chartData(): unknown;
  protected abstract draw(charts: Charts, host: HTMLElement, width: number): Chart | undefined;
  protected abstract get chartHeight(): number;
  protected abstract get fallbackWidth(): number;

  override disconnectedCallback(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    this.chart?.destroy();
    this.chart = undefined;
    this.drawn = undefined;
    super.disconnectedCallback();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Redrawn when put back in the page.
    if (this.hasUpdated) this.requestUpdate();
  }

  protected host(): HTMLElement | null {
    return this.querySelector<HTMLElement>(".chart-canvas");
  }

  protected width(): number {
    const w = this.host()?.clientWidth ?? 0;
    return w > 40 ? Math.floor(w) : this.fallbackWidth;
  }

  protected override updated(_changed: PropertyValues): void {
    const data = this.chartData;
    if (!data || data === this.drawn) return;
    this.drawn = data;
    void loadCharts().then(
      (charts) => {
        const host = this.host();
        if (!host || this.chartData !== data || !this.isConnected) return;
        this.chart?.destroy();
        host.replaceChildren();
        this.chart = this.draw(charts, host, this.width());
        if (!this.observer && typeof ResizeObserver !== "undefined") {
          this.observer = new ResizeObserver(() => {
            const w = this.width();
            this.chart?.setSize({ width: w, height: this.chartHeight });
          });
          this.observer.observe(host);
        }
      },
      () => {
        // Without the chart, its words (the caption) still say it all.
      },
    );
  }
}

/**
 * <goal-chart .data=${GoalChartData} .words=${"…"} measure="pain 0-10">: a
 * goal's measurements over time with its baseline and target as lines, and
 * the same in words as the caption.
 */
export class GoalChart extends ChartElement {
  static override properties = {
    data: { attribute: false },
    words: { type: String },
    measure: { type: String },
  };
  declare data: GoalChartData | undefined;
  declare words: string;
  declare measure: string;

  constructor() {
    super();
    this.data = undefined;
    this.words = "";
    this.measure = "";
  }

  protected get chartData() {
    return this.data;
  }
  protected get chartHeight() {
    return 180;
  }
  protected get fallbackWidth() {
    return 360;
  }

  protected draw(charts: Charts, host: HTMLElement, width: number): Chart | undefined {
    return this.data ? charts.goalChart(host, this.data, width, this.measure) : undefined;
  }

  override render() {
    return html`<figure class="goal-chart">
      ${this.data?.hasProgress ? html`<div class="chart-canvas" aria-hidden="true"></div>` : nothing}
      <figcaption class="muted">${this.words}</figcaption>
    </figure>`;
  }

  protected override updated(changed: PropertyValues): void {
    if (!this.data?.hasProgress) return;
    super.updated(changed);
  }
}

/** <goal-sparkline .spark=${Sparkline}>: the caseload's small chart of a patient's goals, with its words for screen readers. */
export class GoalSparkline extends ChartElement {
  static override properties = {
    spark: { attribute: false },
  };
  declare spark: Sparkline | undefined;

  constructor() {
    super();
    this.spark = undefined;
  }

  protected get chartData() {
    return this.spark;
  }
  protected get chartHeight() {
    return 36;
  }
  protected get fallbackWidth() {
    return 120;
  }

  protected override width(): number {
    return 120;
  }

  protected draw(charts: Charts, host: HTMLElement, width: number): Chart | undefined {
    return this.spark ? charts.sparkChart(host, this.spark, width, this.chartHeight) : undefined;
  }

  override render() {
    if (!this.spark) return html`<span class="muted">No measurements yet</span>`;
    return html`<span class="sparkline"
      ><span class="chart-canvas" aria-hidden="true"></span><span class="visually-hidden">${this.spark.words}</span></span
    >`;
  }
}

customElements.define("goal-chart", GoalChart);
customElements.define("goal-sparkline", GoalSparkline);
