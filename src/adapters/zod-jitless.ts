/**
 * Imported first by the kiosk's entry points (page and crypto worker). The kiosk runs under a
 * Content-Security-Policy without 'unsafe-eval' (docs/security-hardening.md); zod's fast path
 * probes for eval with `new Function('')`, which the browser refuses and reports as a violation.
 * Jitless, zod never tries.
 */
import { z } from 'zod';

z.config({ jitless: true });
