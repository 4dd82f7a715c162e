import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { errorRouteOf } from './mssql-error-route.js';
import type { TediousConnection, TediousMessageToken } from './mssql-tedious.js';

const token: TediousMessageToken = { number: 208, state: 1, class: 16, message: "Invalid object name 'nope'." };

describe('errorRouteOf', () => {
  it('listens once per connection and forwards ERROR tokens to the running command only', () => {
    const connection = new EventEmitter() as unknown as TediousConnection & EventEmitter;
    const route = errorRouteOf(connection);
    expect(errorRouteOf(connection)).toBe(route);
    expect(connection.listenerCount('errorMessage')).toBe(1);
    const received: TediousMessageToken[] = [];
    connection.emit('errorMessage', token);
    route.current = (message) => received.push(message);
    connection.emit('errorMessage', token);
    route.current = undefined;
    connection.emit('errorMessage', token);
    expect(received).toEqual([token]);
  });
});
