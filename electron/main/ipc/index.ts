export { createIpcHandlers, dispatch, isTrustedSender, type ClipboardPort, type IpcHandlers, type IpcServices } from './handlers';
