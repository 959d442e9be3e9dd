import fs from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { SPECS_DIR } from '../vendor-files';

export const DISCORD_OPENAPI_PATH = path.join(SPECS_DIR, 'discord_openapi.json');

export interface SpecViolation {
  operation: string;
  where: 'request' | 'response';
  errors: string[];
}

const pointer = (parts: string[]) =>
  parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

/**
 * Checks the fake's JSON against Discord's own OpenAPI description, so the fake cannot drift into answering
 * shapes the real API never sends. Schemas compile lazily, per operation, on first use.
 */
export class OpenApiChecker {
  private readonly ajv: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction | null>();
  readonly violations: SpecViolation[] = [];

  constructor(specPath = DISCORD_OPENAPI_PATH) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addFormat('snowflake', /^(0|[1-9][0-9]*)$/);
    this.ajv.addFormat('nonce', /^.{0,25}$/);
    this.ajv.addSchema(JSON.parse(fs.readFileSync(specPath, 'utf8')), 'discord');
  }

  /** `template` is the spec's path, e.g. `/channels/{channel_id}/messages`. */
  checkResponse(method: string, template: string, status: number, body: unknown): void {
    const parts = ['paths', template, method.toLowerCase(), 'responses', String(status), 'content'];
    this.check(`${method} ${template} ${status}`, 'response', [...parts, 'application/json', 'schema'], body);
  }

  /** Error bodies: the spec shares them as `components/schemas/ErrorResponse` and `RatelimitedResponse`. */
  checkSchema(operation: string, schemaName: string, body: unknown): void {
    this.check(operation, 'response', ['components', 'schemas', schemaName], body);
  }

  checkRequest(method: string, template: string, body: unknown): void {
    const parts = ['paths', template, method.toLowerCase(), 'requestBody', 'content', 'application/json'];
    this.check(`${method} ${template}`, 'request', [...parts, 'schema'], body);
  }

  private check(operation: string, where: SpecViolation['where'], parts: string[], body: unknown): void {
    const key = pointer(parts);
    let validate = this.cache.get(key);
    if (validate === undefined) {
      validate = (this.ajv.getSchema(`discord#/${key}`) as ValidateFunction | undefined) ?? null;
      this.cache.set(key, validate);
    }
    if (!validate) {
      this.violations.push({ operation, where, errors: ['operation not described by the spec'] });
      return;
    }
    if (!validate(body)) {
      const errors = (validate.errors ?? []).slice(0, 8).map((e) => `${e.instancePath} ${e.message ?? ''}`);
      this.violations.push({ operation, where, errors });
    }
  }
}
