import { describe, expect, it } from 'vitest';
import { parseListen } from '../../../../src/app/config/listen.js';

describe('parseListen', () => {
  it.each([
    ['127.0.0.1:8080', { host: '127.0.0.1', port: 8080 }],
    ['0.0.0.0:80', { host: '0.0.0.0', port: 80 }],
    ['localhost:9000', { host: 'localhost', port: 9000 }],
    ['[::1]:8080', { host: '::1', port: 8080 }],
    ['[::]:0', { host: '::', port: 0 }],
  ])('reads %s', (text, expected) => {
    expect(parseListen(text)).toEqual(expected);
  });

  it.each(['127.0.0.1', ':8080', '::1:8080', '[::1]', '[nope]:80', 'host:65536', 'host:port', 'a b:80', ''])('refuses %j', (text) => {
    expect(parseListen(text)).toBeUndefined();
  });
});
