import type { ParseArgsConfig } from 'node:util';
import { PROVIDER_USAGE } from './provider-command';
import { RECOVERY_USAGE } from './recovery-command';

/** What `latchkey --help` prints, and the options every command shares. */
export const USAGE = `Usage: latchkey <command> [options]

Commands:
  init [--password-stdin] [--no-keychain]   create a vault (password from LATCHKEY_PASSWORD or stdin)
  add - | --uri-stdin                       add the account of the otpauth:// link on stdin; prints its id
  add <otpauth-uri>                         the same with the link in the command line (its secret then
                                            shows in shell history and process lists: prefer add -)
  list [--json]                             list accounts (never secrets)
  code [query] [--at UNIX_SECONDS] [--next] [--json]
                                            codes of the accounts whose issuer or label contains query
  import <file|folder>... [--format F] [--file-password-stdin] [--dry-run] [--json]
                                            add every account of other apps' export files (Aegis,
                                            2FAS, andOTP, Bitwarden, Authy, Stratum, FreeOTP, ...)
                                            or of otpauth:// link lists, in one save: all or nothing;
                                            prints imported, skipped and refused entries; --dry-run
                                            shows the entries and their codes without saving
  import - [...]                            the same, with the links on stdin (one per line)
  export <file> --format latchkey|aegis|aegis-plain|uris|qr-html [--file-password-stdin]
                                            write every account to a file: a Latchkey backup or an
                                            encrypted Aegis vault (password from stdin or
                                            LATCHKEY_EXPORT_PASSWORD), or a plain Aegis vault,
                                            otpauth:// list or HTML sheet of QR codes (every secret
                                            unencrypted)
  restore <file> [--file-password-stdin] [--no-keychain]
                                            a new vault from a Latchkey backup (backup password from
                                            stdin or LATCHKEY_IMPORT_PASSWORD)
  remove <id>                               remove an account
  password set                              add or change the password (new password on stdin)
${RECOVERY_USAGE}${PROVIDER_USAGE}
Options:
  --vault DIR         the vault folder (default: LATCHKEY_VAULT_DIR, else the app's data folder)
  --password-stdin    read the vault password from standard input
  -h, --help          show this help

Unlocking: the system keychain, or the password from LATCHKEY_PASSWORD or --password-stdin.
A Latchkey backup's backup codes sealed with the password of the vault it was made from (import,
restore): that password in LATCHKEY_BACKUP_VAULT_PASSWORD.
`;

export const OPTIONS = {
  vault: { type: 'string' },
  'password-stdin': { type: 'boolean', default: false },
  'uri-stdin': { type: 'boolean', default: false },
  'no-keychain': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  at: { type: 'string' },
  next: { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
  used: { type: 'boolean', default: false },
  unused: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  format: { type: 'string' },
  'file-password-stdin': { type: 'boolean', default: false },
  provider: { type: 'string' },
  'base-url': { type: 'string' },
  environment: { type: 'string' },
  'user-id': { type: 'string' },
  'identity-id': { type: 'string' },
  'device-id': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export type Flags = { vault?: string; 'password-stdin': boolean; 'uri-stdin': boolean; 'no-keychain': boolean; json: boolean; at?: string; next: boolean; 'dry-run': boolean; help: boolean; used: boolean; unused: boolean; format?: string; 'file-password-stdin': boolean } & ProviderFlags;
export type ProviderFlags = { provider?: string; 'base-url'?: string; environment?: string; 'user-id'?: string; 'identity-id'?: string; 'device-id'?: string };


/** A command line Latchkey cannot read: exit status 2 and the usage text. */
export class UsageError extends Error {}
