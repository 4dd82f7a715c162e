export * from './errors/errors.js';
