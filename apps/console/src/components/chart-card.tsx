import { useEffect, useRef } from 'react';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';
import { csv, download } from './ui';

Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

// A white background, so an exported PNG reads on a slide (canvases are transparent).
const whiteBackground: Plugin = {
  id: 'cairn-white',
  beforeDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

export const PALETTE = ['#1f5f8b', '#c4572a', '#2e8540', '#8a4fbf', '#b8860b', '#00838f', '#ad1457', '#546e7a', '#6d4c41', '#3949ab'];

export interface Series {
  label: string;
  values: Array<number | null>;
}

/**
 * One chart with its own PNG and CSV export. `null` figures (small-crowd protection) are gaps,
 * never zeros: a hidden figure must not read as "none".
 */
export function ChartCard(props: {
  id: string;
  title: string;
  kind: 'line' | 'bar';
  labels: string[];
  series: Series[];
  description: string;
  onRendered?: () => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  const { kind, labels, series, onRendered } = props;

  useEffect(() => {
    if (!canvas.current) return;
    const config: ChartConfiguration = {
      type: kind,
      data: {
        labels,
        datasets: series.map((s, i) => ({
          label: s.label,
          data: s.values,
          borderColor: PALETTE[i % PALETTE.length],
          backgroundColor: PALETTE[i % PALETTE.length],
          spanGaps: false,
          pointRadius: series.length > 8 ? 0 : 2,
          borderWidth: 2,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        normalized: true,
        plugins: { legend: { display: series.length > 1, position: 'bottom' } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
      plugins: [whiteBackground],
    };
    chart.current = new Chart(canvas.current, config);
    onRendered?.();
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [kind, labels, series, onRendered]);

  const png = () => canvas.current?.toBlob((b) => b && download(`${props.id}.png`, b), 'image/png');
  const table = () =>
    download(
      `${props.id}.csv`,
      csv([['', ...series.map((s) => s.label)], ...labels.map((l, i) => [l, ...series.map((s) => s.values[i])])]),
    );
  const hidden = series.some((s) => s.values.some((v) => v === null));

  return (
    <figure className="card chart" aria-labelledby={`${props.id}-title`}>
      <figcaption>
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        <div className="actions">
          <button type="button" onClick={png} aria-label={`Download ${props.title} as PNG`}>
            PNG
          </button>
          <button type="button" onClick={table} aria-label={`Download ${props.title} as CSV`}>
            CSV
          </button>
        </div>
      </figcaption>
      <div className="canvas-box">
        <canvas ref={canvas} role="img" aria-label={props.description} />
      </div>
      {hidden && <p className="hint">Gaps: figures fewer than k members stand behind are hidden, never shown as zero.</p>}
    </figure>
  );
}
