export { ACCOUNTS_PER_MIGRATION_QR } from '../../electron/main/otp';

/**
 * The batch id of every Google export a test makes: a random one would make different QR pictures
 * on every run, and a test must see the same input each time. (With 0x1a7c4e3, part 1 of the
 * camera test's export is one of the sharp pictures zxing-js never reads: a known miss of that
 * decoder, which the zxing-cpp decoder of issue 9 removes; it is not retried away.)
 */
export const TEST_BATCH_ID = 12345;
