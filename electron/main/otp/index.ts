/** The OTP engine: base32, code generation and otpauth:// links. Plain Node; no Electron imports. */
export { decodeBase32, encodeBase32, normalizeBase32, MAX_SECRET_BYTES } from './base32';
export {
  generateCode,
  createCodeGenerator,
  codeExpiresAt,
  totpCounter,
  STEAM_ALPHABET,
  type OtpGeneratorInput,
  type CodeGenerator,
} from './generate';
export { parseOtpauthUri, formatOtpauthUri, type ParsedOtpauth } from './otpauth-uri';
export {
  ACCOUNTS_PER_MIGRATION_QR,
  decodeMigrationUri,
  encodeMigrationUris,
  randomBatchId,
  isMigrationUri,
  MAX_MIGRATION_BATCH_SIZE,
  MigrationBatchCollector,
  migrationIncompatibility,
  type MigrationBatchPart,
  type MigrationExportAccount,
} from './migration';
