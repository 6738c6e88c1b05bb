import {
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'react';
import type { Schemas } from '../../../api/client';
import { date } from '../../../shared/format';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend);

/** Claims, clicks and conversions per UTC day; the table beside it carries the same numbers for screen readers. */
export default function DailyChart({ days, label }: { days: Schemas['DailyPointDto'][]; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const series = [
      { key: 'clicks', label: 'Clicks', color: '#364fc7' },
      { key: 'claims', label: 'Claims', color: '#2b8a3e' },
      { key: 'conversions', label: 'Sales', color: '#d9480f' },
    ] as const;
    const chart = new Chart(canvas.current, {
      type: 'line',
      data: {
        labels: days.map((d) => date(`${d.date}T00:00:00Z`)),
        datasets: series.map((s) => ({
          label: s.label,
          data: days.map((d) => d[s.key]),
          borderColor: s.color,
          backgroundColor: s.color,
          tension: 0.2,
          pointRadius: 2,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    return () => chart.destroy();
  }, [days]);
  return (
    <div style={{ position: 'relative', height: 240, width: '100%' }}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
