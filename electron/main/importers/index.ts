export { parseOtpauthList } from './otpauth-list';
export { isPicture, MAX_PICTURES, type PictureInput, parseQrPictures } from './qr-pictures';
export { readExportFile, findImporter, importFormats, MAX_IMPORT_BYTES, type ImportFileResult } from './registry';
export { ImportPlan, type ImportPreviewEntry, type ImportReport } from './preview';
export { savedSecretLookup } from './duplicates';
export type { Importer, ImportItem, ImportedEntry, ImportSource } from './types';
export { ImportSession, type ImportRequest, type ImportPreviewResult } from './import-session';
export { PICTURES_FORMAT, readImportSources } from './read-files';
