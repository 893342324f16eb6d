// Entry of the worker threads that clean pages (cleanup-task.ts), which is TypeScript: run through
// tsx as the CLI is (bin/sohoa.js), in whatever process — CLI, worker, test runner — starts them.
import { register } from 'tsx/esm/api';

register();
export default (await import('./cleanup-task.ts')).default;
