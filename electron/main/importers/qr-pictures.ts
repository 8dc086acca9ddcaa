import { ERROR_SENTENCES, isLatchkeyError, LatchkeyError } from '../../../shared/errors';
import { pictureFormat } from '../../../shared/qr/picture-format';
import { readQrCodesInPicture } from '../../../shared/qr/node-reader';
import { decodeMigrationUri, isMigrationUri, MigrationBatchCollector, type ParsedOtpauth, parseOtpauthUri } from '../otp';

/** One picture to read: its name (for messages) and its bytes as read from disk. */
export interface PictureInput {
  name: string;
  bytes: Uint8Array;
}

/** At most this many pictures in one import: each is decoded in memory, one after the other. */
export const MAX_PICTURES = 200;

/** True when the bytes are a picture format the QR reader takes (PNG, JPEG, WebP, GIF, BMP), by their magic bytes. */
export function isPicture(bytes: Uint8Array): boolean {
  return pictureFormat(bytes) !== null;
}

/**
 * Pictures of QR codes (screenshots, photos, saved exports): every code in every picture, the same
 * code seen twice counted once, Google Authenticator exports assembled across pictures. Gives the
 * same parsed links as the otpauth-list importer. Fails whole, naming the picture, when one holds
 * no code, a code is not an account link, or an export is missing parts.
 */
export async function parseQrPictures(pictures: readonly PictureInput[]): Promise<ParsedOtpauth[]> {
  if (pictures.length === 0) throw new LatchkeyError('INVALID_IMPORT_FILE', 'No picture was given.');
  if (pictures.length > MAX_PICTURES) throw new LatchkeyError('INVALID_IMPORT_FILE', `That is ${pictures.length} pictures; one import reads at most ${MAX_PICTURES}.`);
  const texts = new Map<string, string>();
  for (const picture of pictures) {
    for (const text of await codesIn(picture)) if (!texts.has(text)) texts.set(text, picture.name);
  }
  const accounts: ParsedOtpauth[] = [];
  const batches = new MigrationBatchCollector();
  for (const [text, name] of texts) {
    try {
      if (isMigrationUri(text)) batches.add(decodeMigrationUri(text));
      else accounts.push(parseOtpauthUri(text));
    } catch (error) {
      if (!isLatchkeyError(error)) throw error;
      throw new LatchkeyError('INVALID_IMPORT_FILE', `A QR code in ${name}: ${error.message}`);
    }
  }
  const missing = batches.missing();
  if (missing.length > 0) {
    const parts = missing.map((batch) => `part${batch.missingParts.length > 1 ? 's' : ''} ${batch.missingParts.join(', ')} of ${batch.batchSize}`).join('; ');
    throw new LatchkeyError('INVALID_IMPORT_FILE', `A Google Authenticator export in the pictures is incomplete: ${parts} missing. Give the pictures of every part.`);
  }
  return [...accounts, ...batches.accounts()];
}

async function codesIn(picture: PictureInput): Promise<string[]> {
  let texts: string[];
  try {
    texts = await readQrCodesInPicture(picture.bytes);
  } catch (error) {
    // The same error, with the picture's name before what is wrong with it.
    if (isLatchkeyError(error, 'INVALID_PICTURE')) throw new LatchkeyError('INVALID_PICTURE', `${picture.name}: ${error.message.slice(ERROR_SENTENCES.INVALID_PICTURE.length + 1)}`);
    throw error;
  }
  if (texts.length === 0) throw new LatchkeyError('NO_QR_CODE', `${picture.name} holds none that Latchkey can read; use a sharper or larger picture.`);
  return texts;
}
