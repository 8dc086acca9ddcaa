/**
 * Android SharedPreferences files (`<map>` of `<string name="...">`, `<int name=".." value=".."/>`,
 * ...), which several apps' backups and internal files are. Only that flat shape is read: no DTD, no
 * entities beyond the five predefined ones and numeric references, so a hostile file cannot expand.
 */
export function isAndroidPrefs(text: string | null): text is string {
  return text !== null && /^\s*(<\?xml[^>]*\?>\s*)?<map\s*\/?>/.test(text);
}

export function readAndroidPrefs(text: string): Map<string, string> {
  const values = new Map<string, string>();
  const element = /<(string|int|long|boolean|float)\s+name="([^"]*)"(?:\s+value="([^"]*)")?\s*(?:\/>|>([\s\S]*?)<\/\1>)/g;
  for (const match of text.matchAll(element)) {
    const [, , name, attribute, body] = match;
    values.set(decodeXmlText(name ?? ''), decodeXmlText(attribute ?? body ?? ''));
  }
  return values;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref] ?? whole;
  });
}
