export { AccountsService, matchesQuery, toSummary, type AddManyResult, type AddOptions, type ExportableAccount, type SortOrder } from './accounts-service';
export { AccountQr, QR_REVEAL_MS } from './account-qr';
export { ScanSession } from './scan-session';
