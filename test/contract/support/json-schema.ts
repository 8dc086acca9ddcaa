/**
 * A small JSON Schema checker for the subset the seeds' OpenAPI documents use: type (with 'null'),
 * properties, required, minLength, maxLength, pattern, enum, items, minItems, uniqueItems, anyOf,
 * format date-time, and local $ref. The contract servers check requests with it, and the tests
 * check the servers' answers with it, so both sides are held to the seed and not to our reading.
 */
export type JsonSchema = { [key: string]: unknown };

export interface SchemaIssue {
  path: string;
  problem: string;
}

export function validateJson(value: unknown, schema: JsonSchema, root: JsonSchema): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  check(value, schema, root, '$', issues);
  return issues;
}

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  if (!ref.startsWith('#/')) throw new Error(`only local $ref is supported: ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) node = (node as JsonSchema)[part];
  if (node === undefined || node === null || typeof node !== 'object') throw new Error(`unresolved $ref ${ref}`);
  return resolve(node as JsonSchema, root);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

function check(value: unknown, rawSchema: JsonSchema, root: JsonSchema, path: string, issues: SchemaIssue[]): void {
  const schema = resolve(rawSchema, root);
  if (Array.isArray(schema.anyOf)) {
    const fits = (schema.anyOf as JsonSchema[]).some((option) => validateJson(value, option, root).length === 0);
    if (!fits) issues.push({ path, problem: 'matches none of anyOf' });
    return;
  }
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  if (types.length > 0 && !types.some((type) => typeMatches(value, type))) {
    issues.push({ path, problem: `expected ${types.join('|')}, got ${typeOf(value)}` });
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) issues.push({ path, problem: 'not one of the enum values' });
  if (typeof value === 'string') checkString(value, schema, path, issues);
  if (Array.isArray(value)) checkArray(value, schema, root, path, issues);
  if (typeOf(value) === 'object') checkObject(value as Record<string, unknown>, schema, root, path, issues);
}

function checkString(value: string, schema: JsonSchema, path: string, issues: SchemaIssue[]): void {
  if (typeof schema.minLength === 'number' && value.length < schema.minLength) issues.push({ path, problem: `shorter than ${schema.minLength}` });
  if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) issues.push({ path, problem: `longer than ${schema.maxLength}` });
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) issues.push({ path, problem: `does not match ${schema.pattern}` });
  if (schema.format === 'date-time' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    issues.push({ path, problem: 'not a date-time' });
  }
}

function checkArray(value: unknown[], schema: JsonSchema, root: JsonSchema, path: string, issues: SchemaIssue[]): void {
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) issues.push({ path, problem: `fewer than ${schema.minItems} items` });
  if (schema.uniqueItems === true && new Set(value.map((item) => JSON.stringify(item))).size !== value.length) {
    issues.push({ path, problem: 'items are not unique' });
  }
  if (schema.items !== undefined) value.forEach((item, index) => check(item, schema.items as JsonSchema, root, `${path}[${index}]`, issues));
}

function checkObject(value: Record<string, unknown>, schema: JsonSchema, root: JsonSchema, path: string, issues: SchemaIssue[]): void {
  for (const name of (schema.required as string[] | undefined) ?? []) {
    if (!(name in value)) issues.push({ path: `${path}.${name}`, problem: 'required' });
  }
  const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
  for (const [name, propertySchema] of Object.entries(properties)) {
    if (name in value) check(value[name], propertySchema, root, `${path}.${name}`, issues);
  }
}
