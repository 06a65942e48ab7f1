import type { TestProject } from 'vitest/node';
import { findPostgresBinaries, startThrowawayPostgres } from './postgres';

/**
 * Starts one throwaway PostgreSQL cluster for the whole run and provides its URL as
 * `databaseUrl`. Without server binaries the PostgreSQL tests are skipped, loudly, unless
 * REQUIRE_POSTGRES=1 demands them.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (findPostgresBinaries() === null) {
    const hint =
      'Install the PostgreSQL server (Debian: postgresql-15) or point PG_BIN at the directory holding initdb and pg_ctl.';
    if (process.env.REQUIRE_POSTGRES === '1') {
      throw new Error(
        `REQUIRE_POSTGRES=1 but PostgreSQL server binaries (initdb, pg_ctl) were not found. ${hint}`,
      );
    }
    const bar = '!'.repeat(78);
    console.warn(
      [
        '',
        bar,
        '!!! PostgreSQL binaries not found: the PostgreSQL store tests are SKIPPED !!!',
        `!!! ${hint}`,
        '!!! Set REQUIRE_POSTGRES=1 to make this a failure instead.',
        bar,
        '',
      ].join('\n'),
    );
    project.provide('databaseUrl', null);
    return async () => {};
  }

  // Binaries that are present but cannot start a cluster are a broken setup, not a skip.
  const postgres = await startThrowawayPostgres();
  project.provide('databaseUrl', postgres.url);
  return () => postgres.stop();
}
