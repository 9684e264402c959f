import { describe, expect, it } from 'vitest';
import { importChunks, readCsv } from './csv';

const HEADER = 'nip,nama,jenis_pegawai,golongan,jenis_jabatan,nama_jabatan,kode_unor,nip_atasan';

describe('readCsv', () => {
  it('keeps quoted commas, quotes and line breaks inside a field, with the starting line', () => {
    const text = `${HEADER}\r\n1,"Sari, S.Kep.",PNS,III/a,Pelaksana,"Perawat ""Ahli""",U1,\n2,"Dua\nBaris",PNS,III/a,Pelaksana,X,U1,1\n`;
    const { header, records } = readCsv(text);
    expect(header).toBe(HEADER);
    expect(records.map((r) => r.line)).toEqual([2, 3]);
    expect(records[0]!.fields[1]).toBe('Sari, S.Kep.');
    expect(records[0]!.fields[5]).toBe('Perawat "Ahli"');
    expect(records[1]!.fields[1]).toBe('Dua\nBaris');
    expect(records[1]!.raw).toBe('2,"Dua\nBaris",PNS,III/a,Pelaksana,X,U1,1');
  });

  it('skips blank lines and a byte-order mark', () => {
    const { header, records } = readCsv(`\uFEFF${HEADER}\n\n1,A,PNS,,,,U1,\n`);
    expect(header).toBe(HEADER);
    expect(records).toHaveLength(1);
  });
});

describe('importChunks', () => {
  it('puts a supervisor in the file before their staff, then cuts chunks', () => {
    const rows = ['3,C,PNS,,,,U,2', '2,B,PNS,,,,U,1', '1,A,PNS,,,,U,', '4,D,PNS,,,,U,9'];
    const { header, chunks } = importChunks(`${HEADER}\n${rows.join('\n')}\n`, 2);
    expect(header).toBe(HEADER);
    const order = chunks.flat().map((r) => r.fields[0]);
    expect(order.indexOf('1')).toBeLessThan(order.indexOf('2'));
    expect(order.indexOf('2')).toBeLessThan(order.indexOf('3'));
    expect(chunks.map((c) => c.length)).toEqual([2, 2]);
  });

  it('leaves a supervisor cycle to the server without looping', () => {
    const { chunks } = importChunks(`${HEADER}\n1,A,PNS,,,,U,2\n2,B,PNS,,,,U,1\n`, 10);
    expect(chunks.flat()).toHaveLength(2);
  });
});
