// Entry of Sohoa's worker threads (threads.ts): each pool names its TypeScript module in its
// workerData, run through tsx as the CLI is (bin/sohoa.js), in whatever process starts them.
import { workerData } from 'piscina';
import { register } from 'tsx/esm/api';

register();
export default (await import(workerData.module)).default;
