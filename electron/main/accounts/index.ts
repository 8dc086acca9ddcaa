export { AccountsService, matchesQuery, toSummary, type AddManyResult, type AddOptions, type ExportableAccount, type SortOrder } from './accounts-service';
export { AccountQr, type ConfirmPort, MAX_GOOGLE_EXPORT_ACCOUNTS, QR_REVEAL_MS, type RevealQuestion, type RevealRequest } from './account-qr';
export { REVEAL_TOKEN_MS } from './reveal-grants';
export { ScanSession } from './scan-session';
