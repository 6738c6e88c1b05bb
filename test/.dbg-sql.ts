import { join } from 'node:path';
import { sqlInTypeScript } from './support/sql-sources';
const root = join(__dirname, '..');
const files = ['src/redemptions/redemptions.repository.ts','src/tracking/tracking.repository.ts','src/tracking/conversions.repository.ts','src/reports/reports.repository.ts','src/matching/matching.repository.ts','src/scoring/score-run.query.ts','src/scoring/scoring.repository.ts','src/tracking/rollups.repository.ts'].map(f => join(root, f));
for (const s of sqlInTypeScript(files, root)) console.log(s.where(0), '|', s.sql.replace(/\s+/g, ' ').slice(0, 150));
