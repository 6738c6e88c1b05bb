import {
  CategoryScale,
  Chart,
  Filler,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'react';
import type { Schemas } from '../../../api/client';
import { date } from '../../../shared/format';

// Only what a line chart needs, so the score page's chunk stays small.
Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Filler);

/** The overall score over time; points where the model version changed are drawn larger and in orange. */
export default function HistoryChart({ history, label }: { history: Schemas['ScoreHistoryDto'][]; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const changed = history.map(
      (h, i) => h.reason === 'model_change' || (i > 0 && h.modelVersion !== history[i - 1].modelVersion),
    );
    const chart = new Chart(canvas.current, {
      type: 'line',
      data: {
        labels: history.map((h) => date(h.at)),
        datasets: [
          {
            label: 'Overall score',
            data: history.map((h) => h.overall),
            borderColor: '#364fc7',
            backgroundColor: 'rgba(54, 79, 199, 0.1)',
            fill: true,
            tension: 0.2,
            pointRadius: changed.map((c) => (c ? 7 : 2)),
            pointStyle: changed.map((c) => (c ? 'triangle' : 'circle')),
            pointBackgroundColor: changed.map((c) => (c ? '#d9480f' : '#364fc7')),
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { min: 0, max: 100 } },
        plugins: {
          tooltip: {
            callbacks: {
              afterLabel: (ctx) => `model ${history[ctx.dataIndex].modelVersion} · ${history[ctx.dataIndex].reason}`,
            },
          },
        },
      },
    });
    return () => chart.destroy();
  }, [history]);
  return (
    <div style={{ position: 'relative', height: 240, width: '100%' }}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
