import { QUEUES } from '../common/queue/queues';
import { defineJobs } from '../common/messaging/catalogue';

export const SCORING_QUEUE = QUEUES.scoring;

export enum ScoringJob {
  /** A run created by `POST /v1/scoring/runs` (published through the outbox, jobId `outbox-<id>`). */
  Run = 'score-run',
  /** The daily run; creates its own `score_runs` row. */
  Daily = 'daily-score-run',
  /** pg_partman's maintenance of the signal tables: partitions ahead, retention (docs/privacy.md). */
  Partitions = 'ensure-signal-partitions',
}

interface ScoreRunPayload {
  [key: string]: string;
  runId: string;
}

/** Repeatable jobs, one scheduler id each so N workers register one schedule, not N. Times are UTC. */
export const SCORING_SCHEDULES: { id: ScoringJob; pattern: string }[] = [
  { id: ScoringJob.Daily, pattern: '15 3 * * *' },
  { id: ScoringJob.Partitions, pattern: '5 0 * * *' },
];

declare module '../common/messaging/catalogue' {
  interface JobCatalogue {
    scoring: {
      [ScoringJob.Run]: ScoreRunPayload;
      [ScoringJob.Daily]: Record<string, never>;
      [ScoringJob.Partitions]: Record<string, never>;
    };
  }
}
defineJobs(SCORING_QUEUE, { [ScoringJob.Run]: true, [ScoringJob.Daily]: true, [ScoringJob.Partitions]: true });
