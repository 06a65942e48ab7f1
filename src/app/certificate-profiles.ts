import raw from '../../config/certificate-profiles.json' with { type: 'json' };
import { type ProfileSet, profileSetSchema } from '../core/certificate/profile';

/**
 * `config/certificate-profiles.json`: one file read by the kiosk build and the sync server alike, so
 * the CSR the kiosk makes and the check the server applies can never drift apart.
 */
export const certificateProfiles: ProfileSet = profileSetSchema.parse(raw);
