import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { SPECS_DIR } from '../vendor-files';

/*
 * Checks the requests flexcord sends and the answers the fake gives against Twilio's own OpenAPI specs
 * (twilio/twilio-oai, vendored in vendor/specs), so neither side can drift from the real API unnoticed.
 */

export const PRODUCTS = {
  conversations: 'twilio_conversations_v1.json',
  'flex-api': 'twilio_flex_v1.json',
  taskrouter: 'twilio_taskrouter_v1.json',
} as const;
export type Product = keyof typeof PRODUCTS;

interface Operation {
  product: Product;
  template: string;
  method: string;
  pointer: string;
  op: OpenApiOperation;
}

interface OpenApiOperation {
  parameters?: { name: string; in: string; schema?: unknown }[];
  requestBody?: {
    content?: Record<string, { schema?: { properties?: Record<string, unknown>; required?: string[] } }>;
  };
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

export class TwilioSpecs {
  private readonly ajv: Ajv;
  private readonly docs = new Map<Product, OpenApiDoc>();
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(specsDir = SPECS_DIR) {
    // Twilio's specs are OpenAPI 3.0 (`nullable`, vendor keywords such as x-twilio): not strict JSON Schema.
    this.ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: true });
    addFormats(this.ajv);
    for (const format of [
      'uri-map',
      'phone-number',
      'date-time-rfc-2822',
      'iso-country-code',
      'currency',
      'sid',
      'int64',
      'int32',
      'binary',
    ]) {
      if (!this.ajv.formats[format]) this.ajv.addFormat(format, true);
    }
    for (const [product, file] of Object.entries(PRODUCTS) as [Product, string][]) {
      const doc = toJsonSchemaDialect(
        JSON.parse(fs.readFileSync(path.join(specsDir, file), 'utf8')),
      ) as OpenApiDoc;
      this.docs.set(product, doc);
      this.ajv.addSchema(doc, product);
    }
  }

  /** The spec operation for a concrete request path (`/v1/Conversations/CH.../Messages`), if there is one. */
  findOperation(product: Product, method: string, concretePath: string): Operation | undefined {
    const doc = this.docs.get(product);
    if (!doc) return undefined;
    const m = method.toLowerCase();
    for (const [template, item] of Object.entries(doc.paths)) {
      const op = item[m];
      if (!op) continue;
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      if (pattern.test(concretePath)) {
        return { product, template, method: m, pointer: `/paths/${escapePointer(template)}/${m}`, op };
      }
    }
    return undefined;
  }

  /** Problems with a request: unknown form or query parameters, values of the wrong type or enum, missing ones. */
  checkRequest(
    operation: Operation,
    query: Record<string, unknown>,
    form: Record<string, unknown>,
  ): string[] {
    const problems: string[] = [];
    const where = `${operation.method.toUpperCase()} ${operation.template}`;
    const queryParams = (operation.op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    for (const name of Object.keys(query)) {
      if (!queryParams.includes(name)) problems.push(`${where}: query parameter ${name} is not in the spec`);
    }
    const formSchema = operation.op.requestBody?.content?.['application/x-www-form-urlencoded']?.schema;
    if (Object.keys(form).length > 0 && !formSchema) problems.push(`${where}: the spec takes no form body`);
    if (formSchema) {
      const known = Object.keys(formSchema.properties ?? {});
      for (const name of Object.keys(form)) {
        if (!known.includes(name)) problems.push(`${where}: form parameter ${name} is not in the spec`);
      }
      const validate = this.validator(
        `${operation.product}#${operation.pointer}/requestBody/content/application~1x-www-form-urlencoded/schema`,
      );
      if (!validate(normaliseForm(form, formSchema.properties ?? {}))) {
        problems.push(
          ...(validate.errors ?? []).map((e) => `${where}: form ${e.instancePath || '(body)'} ${e.message}`),
        );
      }
    }
    return problems;
  }

  /** Problems with an answer: a status the spec does not list, or a JSON body that does not match the schema. */
  checkResponse(operation: Operation, status: number, body: unknown): string[] {
    const where = `${operation.method.toUpperCase()} ${operation.template} -> ${status}`;
    if (status >= 400) return checkErrorBody(where, body);
    const response = operation.op.responses?.[String(status)];
    if (!response) return [`${where}: the spec lists no ${status} answer`];
    if (!response.content?.['application/json'])
      return body === undefined ? [] : [`${where}: the spec has no body`];
    const validate = this.validator(
      `${operation.product}#${operation.pointer}/responses/${status}/content/application~1json/schema`,
    );
    if (validate(structuredClone(body))) return [];
    return (validate.errors ?? []).map((e) => `${where}: ${e.instancePath || '(body)'} ${e.message}`);
  }

  /** The success status the spec gives for an operation (200 for most, 201 for Conversations creates, 204 deletes). */
  successStatus(operation: Operation): number {
    const codes = Object.keys(operation.op.responses ?? {})
      .map(Number)
      .filter((c) => c >= 200 && c < 300);
    return codes[0] ?? 200;
  }

  private validator(ref: string): ValidateFunction {
    let validate = this.validators.get(ref);
    if (!validate) {
      const found = this.ajv.getSchema(ref);
      if (!found) throw new Error(`no schema at ${ref}`);
      validate = found;
      this.validators.set(ref, validate);
    }
    return validate;
  }
}

/**
 * OpenAPI 3.0's `nullable` next to a `$ref` or without a `type` has no JSON Schema meaning; Ajv refuses it.
 * Rewritten: `$ref` + nullable becomes "the ref or null", a typeless nullable is dropped (it allows anything).
 */
function toJsonSchemaDialect(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchemaDialect);
  if (!node || typeof node !== 'object') return node;
  const obj: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) obj[key] = toJsonSchemaDialect(value);
  if (obj.nullable === true && obj.type === undefined) {
    delete obj.nullable;
    if (typeof obj.$ref === 'string') return { anyOf: [{ $ref: obj.$ref }, { type: 'null' }] };
  }
  return obj;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Form bodies carry one value or several for the same key; the schema says which. */
function normaliseForm(
  form: Record<string, unknown>,
  properties: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(form)) {
    const isArray = (properties[name] as { type?: string } | undefined)?.type === 'array';
    out[name] = isArray ? (Array.isArray(value) ? value : [value]) : value;
  }
  return out;
}

/** Twilio's error body: code, message, more_info and status (https://www.twilio.com/docs/usage/twilios-response). */
function checkErrorBody(where: string, body: unknown): string[] {
  const b = body as Record<string, unknown> | undefined;
  const problems: string[] = [];
  if (typeof b?.code !== 'number') problems.push(`${where}: error body lacks a numeric code`);
  if (typeof b?.message !== 'string') problems.push(`${where}: error body lacks a message`);
  if (typeof b?.more_info !== 'string') problems.push(`${where}: error body lacks more_info`);
  if (typeof b?.status !== 'number') problems.push(`${where}: error body lacks a numeric status`);
  return problems;
}
