import { describe, expect, it } from 'vitest';
import { validateSchema } from '../../src/spec/validate.js';
import { sampleSpec } from '../helpers/lxcri.js';

describe('schema validation', () => {
  it('accepts the sample bundle', async () => {
    await validateSchema('config', sampleSpec(), 'config.json');
  });
  it('names the offending field', async () => {
    const s = sampleSpec() as unknown as { process: { user: { uid: unknown } } };
    s.process.user.uid = 'root';
    await expect(validateSchema('config', s, 'config.json')).rejects.toThrow(/\/process\/user\/uid: must be integer/);
  });
  it('requires ociVersion', async () => {
    await expect(validateSchema('config', {}, 'config.json')).rejects.toThrow(/ociVersion/);
  });
});
