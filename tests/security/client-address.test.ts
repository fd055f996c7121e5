import { describe, expect, it } from 'vitest';
import { throttleKeyOf } from '../../server/http/client-address.ts';

describe('throttleKeyOf', () => {
  it('keeps an IPv4 address, also written IPv4-mapped', () => {
    expect(throttleKeyOf('203.0.113.7')).toBe('203.0.113.7');
    expect(throttleKeyOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts IPv6 addresses of one /64 as one, however they are written', () => {
    const key = throttleKeyOf('2001:db8:85a3:8d3::1');
    expect(key).toBe('2001:db8:85a3:8d3::/64');
    expect(throttleKeyOf('2001:0db8:85a3:08d3:ffff:ffff:ffff:fffe')).toBe(key);
    expect(throttleKeyOf('2001:DB8:85A3:8D3:1:2:3:4')).toBe(key);
    expect(throttleKeyOf('2001:db8:85a3:8d4::1')).not.toBe(key);
    expect(throttleKeyOf('::1')).toBe('0:0:0:0::/64');
    expect(throttleKeyOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});
