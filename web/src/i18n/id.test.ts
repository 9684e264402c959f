import { describe, expect, it } from 'vitest';
import { givenName } from './id';

describe('givenName', () => {
  it.each([
    ['dr. Asep Hartono', 'Asep'],
    ['drg. Siti Rahayu', 'Siti'],
    ['Fitri, A.Md.Kep.', 'Fitri'],
    ['Rahma Novitasari, S.Kep., Ners', 'Rahma'],
    ['Hj. Nurlela, S.E.', 'Nurlela'],
    ['Prof. Dr. Ir. Bambang Sutrisno, M.T.', 'Bambang'],
    ['Budi', 'Budi'],
  ])('greets %s as %s', (full, given) => {
    expect(givenName(full)).toBe(given);
  });

  it('falls back to the first word when the name is only titles', () => {
    expect(givenName('dr.')).toBe('dr.');
  });
});
