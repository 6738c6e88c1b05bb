/** Run by process-guards.int-spec.ts: escapes an exception and a rejection, then proves it is still alive. */
import { createPino } from '../../src/common/logging/logger';
import { installProcessGuards } from '../../src/common/logging/process-guards';

const log = createPino('info');
installProcessGuards(log);
setTimeout(() => {
  throw new Error('escaped exception for alice@example.com');
}, 10);
setTimeout(() => void Promise.reject(new Error('escaped rejection')), 20);
setTimeout(() => {
  log.info('still serving');
  log.flush();
  setTimeout(() => process.exit(0), 50);
}, 200);
