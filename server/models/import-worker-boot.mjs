// Entry of the import worker thread: a worker does not inherit the parent's tsx loader (under
// `npm start`, mocha or `npm run worker` alike), so it registers tsx itself, then loads the worker.
import { register } from 'tsx/esm/api';

register();
await import('./import-worker.ts');
