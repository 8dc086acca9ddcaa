export { createIpcHandlers, dispatch, isTrustedSender, type ClipboardPort, type ScreenCapturePort, type IpcHandlers, type IpcServices } from './handlers';
export { createMainServices, type MainServices, type MainServicesOptions } from './main-services';
export { type RecoverySheetPort } from './recovery-handlers';
