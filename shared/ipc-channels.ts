/**
 * The channel names alone, without zod, for the sandboxed preload (which cannot load packages).
 * shared/ipc.ts checks at compile time that this list and the contract name the same channels.
 */
export const CHANNEL_NAMES = [
  'vault:status',
  'vault:create',
  'vault:unlock',
  'vault:lock',
  'vault:setPassword',
  'vault:setKeychainSlot',
  'accounts:list',
  'accounts:add',
  'accounts:addUri',
  'accounts:validate',
  'accounts:previewUri',
  'accounts:edit',
  'accounts:remove',
  'accounts:reorder',
  'codes:get',
  'codes:nextHotp',
  'codes:copy',
  'scan:read',
  'scan:confirm',
  'scan:cancel',
  'screen:sources',
  'screen:capture',
  'accounts:showQr',
  'accounts:exportGoogleQr',
  'settings:get',
  'settings:set',
  'app:activity',
  'import:formats',
  'import:read',
  'import:confirm',
  'import:cancel',
  'export:save',
  'backup:status',
  'backup:enable',
  'backup:disable',
  'backup:now',
] as const;

export const IPC_EVENT_CHANNEL = 'latchkey:event';
