import path from 'node:path';
import { projectRoot } from '../app/paths';

/*
 * The vendors' material flexcord carries in `vendor/` (see vendor/README.md for sources, versions and licences):
 * the OpenAPI specs the sandbox's Discord and Twilio check their traffic against, and the protocol examples the
 * tests replay. Resolved from the package root so src/ (tsx) and dist/ (built) find the same files.
 */
export const VENDOR_DIR = path.join(projectRoot(), 'vendor');
export const SPECS_DIR = path.join(VENDOR_DIR, 'specs');
export const PROTOCOL_EXAMPLES_DIR = path.join(VENDOR_DIR, 'protocol-examples');
