/**
 * Settings an admin changes in the app, kept in the catalog with who set them; the configuration
 * (environment) gives the value until then.
 */
import { UsageError } from '../pipeline/errors.js';
import type { Catalog, Thresholds } from '../storage/catalog/index.js';
import { assertAgencyCode } from '../storage/objects/index.js';
import type { Config } from './config.js';

const THRESHOLDS = 'coverage-thresholds';
const SIGNING = 'signing-agencies';

/** The overall-rate thresholds coverage rows are judged by: the admin's, else SOHOA_COVERAGE_WARN/TARGET. */
export async function coverageThresholds(catalog: Catalog, config: Config): Promise<Thresholds> {
  return (await catalog.accounts.setting<Thresholds>(THRESHOLDS)) ?? config.coverage;
}

/** Agencies whose stations may ask for the agency's signature: none until an admin allows some. */
export async function signingAgencies(catalog: Catalog): Promise<string[]> {
  return (await catalog.accounts.setting<string[]>(SIGNING)) ?? [];
}

export async function setSigningAgencies(catalog: Catalog, agencies: string[], by: string): Promise<string[]> {
  const allowed = [...new Set(agencies.map(assertAgencyCode))].sort();
  await catalog.accounts.putSetting(SIGNING, allowed, by);
  return allowed;
}

/** An admin may have files signed; a station when an admin has allowed its agency. */
export async function maySign(catalog: Catalog, principal: { role: string; agency?: string | null }): Promise<boolean> {
  if (principal.role === 'admin') return true;
  return principal.role === 'station' && !!principal.agency && (await signingAgencies(catalog)).includes(principal.agency);
}

export async function setCoverageThresholds(catalog: Catalog, thresholds: Thresholds, by: string): Promise<Thresholds> {
  const { warn, target } = thresholds;
  const valid = (n: number) => Number.isFinite(n) && n >= 0 && n <= 100;
  if (!valid(warn) || !valid(target)) throw new UsageError('thresholds are percentages from 0 to 100');
  if (warn > target) throw new UsageError(`the warning threshold (${warn}%) must not exceed the target (${target}%)`);
  await catalog.accounts.putSetting(THRESHOLDS, { warn, target }, by);
  return { warn, target };
}
