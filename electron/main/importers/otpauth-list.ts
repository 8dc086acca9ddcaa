import { isLatchkeyError, LatchkeyError } from '../../../shared/errors';
import { decodeMigrationUri, isMigrationUri, MigrationBatchCollector, type ParsedOtpauth, parseOtpauthUri } from '../otp';

/**
 * A text file of otpauth:// and otpauth-migration:// links, one per line (what many apps export
 * and what people keep). Blank lines, surrounding spaces and `#` comment lines are ignored. Any
 * other line that is not a valid link fails the whole file, naming its line.
 */
export function parseOtpauthList(text: string): ParsedOtpauth[] {
  const accounts: ParsedOtpauth[] = [];
  const batches = new MigrationBatchCollector();
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    try {
      if (isMigrationUri(line)) {
        const part = decodeMigrationUri(line);
        // A one-part export is complete by itself; exports without batch fields all carry id 0,
        // and must not replace one another in the collector.
        if (part.batchSize === 1) accounts.push(...part.accounts);
        else batches.add(part);
      }
      else accounts.push(parseOtpauthUri(line));
    } catch (error) {
      if (!isLatchkeyError(error)) throw error;
      throw new LatchkeyError('INVALID_IMPORT_FILE', `Line ${index + 1}: ${error.message}`);
    }
  });
  const missing = batches.missing();
  if (missing.length > 0) {
    const parts = missing.map((batch) => `part${batch.missingParts.length > 1 ? 's' : ''} ${batch.missingParts.join(', ')} of ${batch.batchSize}`).join('; ');
    throw new LatchkeyError('INVALID_IMPORT_FILE', `A Google Authenticator export in it is incomplete: ${parts} missing.`);
  }
  if (accounts.length === 0 && batches.accounts().length === 0) {
    throw new LatchkeyError('INVALID_IMPORT_FILE', 'It holds no otpauth:// or otpauth-migration:// links.');
  }
  return [...accounts, ...batches.accounts()];
}
