/**
 * Settings an admin changes in the app, kept in the catalog with who set them; the configuration
 * (environment) gives the value until then.
 */
import { UsageError } from '../pipeline/errors.js';
import type { Catalog, Thresholds } from '../storage/catalog/index.js';
import type { Config } from './config.js';

const THRESHOLDS = 'coverage-thresholds';

/** The overall-rate thresholds coverage rows are judged by: the admin's, else SOHOA_COVERAGE_WARN/TARGET. */
export async function coverageThresholds(catalog: Catalog, config: Config): Promise<Thresholds> {
  return (await catalog.accounts.setting<Thresholds>(THRESHOLDS)) ?? config.coverage;
}

export async function setCoverageThresholds(catalog: Catalog, thresholds: Thresholds, by: string): Promise<Thresholds> {
  const { warn, target } = thresholds;
  const valid = (n: number) => Number.isFinite(n) && n >= 0 && n <= 100;
  if (!valid(warn) || !valid(target)) throw new UsageError('thresholds are percentages from 0 to 100');
  if (warn > target) throw new UsageError(`the warning threshold (${warn}%) must not exceed the target (${target}%)`);
  await catalog.accounts.putSetting(THRESHOLDS, { warn, target }, by);
  return { warn, target };
}
