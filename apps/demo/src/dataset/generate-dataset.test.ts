import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DATASET_SIZE, generateDataset } from './generate-dataset.js';
import { Prng } from './prng.js';

describe('generateDataset', () => {
  const dataset = generateDataset();

  it('is deterministic: the same seed gives the same rows, another seed other rows', () => {
    const digest = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');
    expect(digest(generateDataset())).toBe(digest(dataset));
    expect(digest(generateDataset(7))).not.toBe(digest(dataset));
  });

  it('has a few thousand rows of Northwind-like data', () => {
    expect(dataset.employees).toHaveLength(DATASET_SIZE.employees);
    expect(dataset.customers).toHaveLength(DATASET_SIZE.customers);
    expect(dataset.products.length).toBeGreaterThanOrEqual(30);
    expect(dataset.orders).toHaveLength(DATASET_SIZE.orders);
    expect(dataset.orderDetails.length).toBeGreaterThan(2_000);
    expect(dataset.orderDetails.length).toBeLessThan(4_000);
  });

  it('has unique keys and only valid references', () => {
    const unique = <T>(values: T[]): boolean => new Set(values).size === values.length;
    expect(unique(dataset.customers.map((c) => c.customerId))).toBe(true);
    expect(unique(dataset.customers.map((c) => c.companyName))).toBe(true);
    expect(unique(dataset.orders.map((o) => o.orderId))).toBe(true);
    expect(unique(dataset.orderDetails.map((d) => `${d.orderId}/${d.productId}`))).toBe(true);
    const customers = new Set(dataset.customers.map((c) => c.customerId));
    const employees = new Set(dataset.employees.map((e) => e.employeeId));
    const products = new Set(dataset.products.map((p) => p.productId));
    const orders = new Set(dataset.orders.map((o) => o.orderId));
    expect(dataset.orders.every((o) => customers.has(o.customerId) && employees.has(o.employeeId))).toBe(true);
    expect(dataset.orderDetails.every((d) => orders.has(d.orderId) && products.has(d.productId))).toBe(true);
    expect(orders.size).toBe(new Set(dataset.orderDetails.map((d) => d.orderId)).size);
  });

  it('writes values in the portable forms: exact decimal strings and YYYY-MM-DD dates', () => {
    const badOrders = dataset.orders.filter(
      (o) =>
        !/^\d+\.\d{2}$/.test(o.freight) ||
        !/^\d{4}-\d{2}-\d{2}$/.test(o.orderDate) ||
        (o.shippedDate !== null && !(o.shippedDate > o.orderDate)),
    );
    expect(badOrders).toEqual([]);
    expect(dataset.orderDetails.filter((d) => !/^0\.\d{2}$/.test(d.discount) || d.quantity <= 0)).toEqual([]);
    expect(dataset.orders.some((o) => o.shippedDate === null)).toBe(true);
  });

  it('ships to the customer’s city, and has orders to Germany for the polling scenario', () => {
    const byId = new Map(dataset.customers.map((c) => [c.customerId, c]));
    expect(dataset.orders.every((o) => byId.get(o.customerId)?.city === o.shipCity)).toBe(true);
    expect(dataset.orders.filter((o) => o.shipCountry === 'Germany').length).toBeGreaterThan(20);
  });
});

describe('Prng', () => {
  it('repeats its sequence for a seed and stays in range', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const values = Array.from({ length: 1_000 }, () => a.next());
    expect(values).toEqual(Array.from({ length: 1_000 }, () => b.next()));
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const dice = new Prng(1);
    const rolls = Array.from({ length: 600 }, () => dice.integer(1, 6));
    expect(new Set(rolls)).toEqual(new Set([1, 2, 3, 4, 5, 6]));
  });

  it('samples distinct items', () => {
    const sample = new Prng(3).sample(['a', 'b', 'c', 'd', 'e'], 3);
    expect(new Set(sample).size).toBe(3);
  });
});
