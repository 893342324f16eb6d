import { describe, expect, it } from 'vitest';
import { InvalidCodeError } from '../pipeline/errors.js';
import { assertProcedureCode, documentFileCode, parseDossierCode } from '../storage/objects/index.js';

describe('dossier and procedure codes', () => {
  it('parses a dossier code into agency, receipt date and sequence', () => {
    expect(parseDossierCode('000.00.15.H17-231114-0001')).toEqual({
      code: '000.00.15.H17-231114-0001',
      agencyCode: '000.00.15.H17',
      receivedOn: '2023-11-14',
      sequence: 1,
    });
  });

  it.each(['000.00.15.H17-231131-0001', '000.00.15.H17-23111-0001', 'H17-231114-0001', '000.00.15.H17-231114-1', ''])(
    'rejects %j with a message naming the expected form',
    (code) => {
      expect(() => parseDossierCode(code)).toThrow(InvalidCodeError);
    },
  );

  it('names documents <dossier code>.<nn> per Circular 05/2025', () => {
    expect(documentFileCode('000.00.15.H17-231114-0001', 3)).toBe('000.00.15.H17-231114-0001.03');
  });

  it('accepts national procedure codes and rejects others', () => {
    expect(assertProcedureCode('1.004227')).toBe('1.004227');
    expect(() => assertProcedureCode('1004227')).toThrow(/1\.004227/);
  });
});
