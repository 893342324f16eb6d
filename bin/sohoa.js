#!/usr/bin/env node
// The CLI runs its TypeScript sources through tsx: no build step, and never a stale build.
import { register } from 'tsx/esm/api';

register();
await import('../api/cli/main.ts');
