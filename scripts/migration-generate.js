#!/usr/bin/env node
// `npm run db:migration:generate -- <Name>`: diff entities against DATABASE_URL into migrations/<epoch-ms>-<Name>.ts.
const { spawnSync } = require('node:child_process');
const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error('usage: npm run db:migration:generate -- <VerbNoun>   (PascalCase, e.g. AddCampaigns)');
  process.exit(2);
}
const r = spawnSync(
  process.execPath,
  [
    require.resolve('typeorm/cli-ts-node-commonjs.js'),
    'migration:generate',
    '-d',
    'src/database/data-source.ts',
    '--pretty',
    `migrations/${name}`,
  ],
  { stdio: 'inherit', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } },
);
process.exit(r.status ?? 1);
