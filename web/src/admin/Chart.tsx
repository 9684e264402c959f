// Charts of the administration screens: Chart.js (canvas, tree-shaken to bars and lines), loaded
// only with the screens that draw one. Each chart carries a text summary for screen readers and
// sits next to a data table with the same numbers.
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
} from 'chart.js';
import { useEffect, useRef } from 'react';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);
Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif";
Chart.defaults.color = '#1c2421';

export const COLORS = ['#0b5d4b', '#f3b821', '#1f5f99', '#b3261e', '#6b4a00', '#4f5b57', '#7c3aed', '#0e7490'];

export interface Series {
  label: string;
  data: (number | null)[];
  color?: string;
  colors?: string[];
  type?: 'bar' | 'line';
}

export function ChartView({
  kind,
  labels,
  series,
  summary,
  stacked = false,
  percent = false,
  height = 280,
  testId,
}: {
  kind: 'bar' | 'line';
  labels: string[];
  series: Series[];
  summary: string;
  stacked?: boolean;
  percent?: boolean;
  height?: number;
  testId?: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return undefined;
    const config: ChartConfiguration = {
      type: kind,
      data: {
        labels,
        datasets: series.map((s, i) => ({
          type: s.type ?? kind,
          label: s.label,
          data: s.data,
          backgroundColor: s.colors ?? s.color ?? COLORS[i % COLORS.length],
          borderColor: s.color ?? COLORS[i % COLORS.length],
          borderWidth: (s.type ?? kind) === 'line' ? 2 : 0,
          tension: 0.2,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: series.length > 1, position: 'bottom' } },
        scales: {
          x: { stacked },
          y: {
            stacked,
            beginAtZero: true,
            ...(percent ? { max: 100, ticks: { callback: (v: string | number) => `${v}%` } } : { ticks: { precision: 0 } }),
          },
        },
      },
    };
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [kind, labels, series, stacked, percent]);
  return (
    <div className="chart" style={{ height }} data-testid={testId}>
      <canvas ref={canvas} role="img" aria-label={summary}>
        {summary}
      </canvas>
    </div>
  );
}
