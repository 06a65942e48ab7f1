/** Officer mode's renewal, revocation and incident screens call these (app/lifecycle/services.ts). */
export type { LifecycleServices } from '../../app/lifecycle/services';
