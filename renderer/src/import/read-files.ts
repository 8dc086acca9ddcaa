/** The most one import reads in the window: matches main's cap per file. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** A file as base64, for the import:read request (the bytes go to main, which keeps the secrets). */
export function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(new Error(`Could not read ${file.name}.`));
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.readAsDataURL(file);
  });
}
