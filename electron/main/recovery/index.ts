export { RecoveryService, type RecoveryServiceOptions, type SealFollower, type SpentCode } from './recovery-service';
export { recogniseCodes, type RecognisedCodes, MAX_RECOGNISED_TEXT } from './recognize';
export { KEEP_UNSEALED_MS } from './kept-key';
