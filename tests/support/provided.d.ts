import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the throwaway PostgreSQL cluster, or null when none could be started. */
    databaseUrl: string | null;
  }
}
