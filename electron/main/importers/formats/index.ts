import type { Importer } from '../types';
import { aegisImporter } from './aegis';
import { latchkeyBackupImporter } from './latchkey';
import { andOtpImporter } from './andotp';
import { authenticatorPlusImporter } from './authenticator-plus';
import { authyImporter, battleNetImporter, totpAuthenticatorImporter } from './android-apps';
import { bitwardenImporter } from './bitwarden';
import { csvImporter } from './csv-otpauth';
import { googleAuthenticatorDbImporter, microsoftAuthenticatorDbImporter, stratumDbImporter } from './databases';
import { freeOtpV2Importer } from './freeotp-v2';
import { freeOtpPlusImporter, freeOtpXmlImporter } from './freeotp';
import { duoImporter, protonImporter, steamImporter } from './small-json';
import { stratumImporter } from './stratum';
import { twoFasImporter } from './twofas';
import { uriListImporter } from './uri-list';

/**
 * Every format, in detection order: formats with a distinctive signature first, guesses last
 * (andOTP's encrypted files have no signature; TOTP Authenticator's backup is bare base64).
 * Pictures of QR codes: the qr helper's importer (electron/main/importers/qr-pictures.ts, an
 * Importer whose detect() is `pictureKind(source.bytes) !== null` from ../file-kind) goes right
 * after uriListImporter; until it is there, a picture gets "It looks like a PNG picture...".
 * Each picture is one file of the import, so several at once or a folder share one preview.
 */
export const IMPORTERS: Importer[] = [
  uriListImporter,
  latchkeyBackupImporter,
  aegisImporter,
  twoFasImporter,
  bitwardenImporter,
  freeOtpPlusImporter,
  stratumImporter,
  protonImporter,
  steamImporter,
  authenticatorPlusImporter,
  freeOtpV2Importer,
  duoImporter,
  andOtpImporter,
  authyImporter,
  battleNetImporter,
  freeOtpXmlImporter,
  googleAuthenticatorDbImporter,
  microsoftAuthenticatorDbImporter,
  stratumDbImporter,
  csvImporter,
  totpAuthenticatorImporter,
];
